package dev.tokencenter.web;

import org.springframework.boot.http.codec.CodecCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.codec.json.JacksonJsonDecoder;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * Request bodies are read strictly: a value of the wrong JSON type is an error naming the field, not something
 * converted (a number is not a string, nor a string a number or boolean, nor a float an integer, nor one value an
 * array, nor an empty or blank string null), and so are unknown or repeated fields, null for a primitive, anything
 * after the JSON value and strings that are not well-formed Unicode (half of a surrogate pair, escaped in the JSON
 * text). Only the server's decoder is strict: the WebClient that reads WeChat's answers keeps Spring Boot's mapper.
 */
@Configuration(proxyBeanMethods = false)
class StrictJsonRequests {

    /** After Spring Boot's own Jackson codec customizer, so the strict decoder is the one that stays. */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    CodecCustomizer strictJsonRequestDecoder(JsonMapper jsonMapper) {
        JsonMapper strict = strict(jsonMapper);
        return configurer -> {
            if (configurer instanceof ServerCodecConfigurer) {
                configurer.defaultCodecs().jacksonJsonDecoder(new JacksonJsonDecoder(strict));
            }
        };
    }

    /** The text of a string may not hold half of a surrogate pair: it is not Unicode and could not be stored. */
    static final class WellFormedStrings extends StringDeserializer {

        static final String NOT_UNICODE = "not valid Unicode";

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) {
            String value = super.deserialize(parser, context);
            if (value != null && !wellFormed(value)) {
                throw InvalidFormatException.from(parser, NOT_UNICODE, value, String.class);
            }
            return value;
        }

        private static boolean wellFormed(String value) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    return false;
                }
            }
            return true;
        }
    }

    static JsonMapper strict(JsonMapper base) {
        return base.rebuild()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                        DeserializationFeature.FAIL_ON_TRAILING_TOKENS, DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT, DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY,
                        DeserializationFeature.UNWRAP_SINGLE_VALUE_ARRAYS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .addModule(new SimpleModule("well-formed-strings").addDeserializer(String.class, new WellFormedStrings()))
                .withCoercionConfigDefaults(any -> any.setAcceptBlankAsEmpty(false)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Textual, text -> text
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .build();
    }
}
