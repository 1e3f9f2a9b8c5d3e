package dev.tokencenter.wechat;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import javax.net.ssl.SSLException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Calls WeChat's mini program endpoints ({@code jscode2session}, {@code checksession}, {@code getuserphonenumber})
 * with the connect and response timeouts of {@link WechatApiProperties} and a hard deadline over each exchange, on a
 * connection pool of its own. Every value (code, secret, token, signature) goes into the URL as a URI template
 * variable, so it is encoded exactly once and reaches WeChat as given. Never logs; bodies are read and written as
 * bytes, so no codec logs their content. Never retries: a code is single use.
 */
public class WechatMiniProgramClient implements AutoCloseable {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Pattern RID = Pattern.compile("rid:\\s*([A-Za-z0-9-]{1,64})");
    private static final int SESSION_KEY_BYTES = 16;

    private final UpstreamHttp http;
    private final WebClient wechat;
    private final Duration deadline;

    private final UpstreamCallMeter meter;

    public WechatMiniProgramClient(WechatApiProperties wechatApi, UpstreamTls tls) {
        this(wechatApi, tls, UpstreamCallMeter.unread());
    }

    public WechatMiniProgramClient(WechatApiProperties wechatApi, UpstreamTls tls, UpstreamCallMeter meter) {
        this.meter = meter;
        this.http = new UpstreamHttp("wechat-miniprogram", 64, 0, wechatApi, tls);
        this.wechat = http.webClient(wechatApi.apiBaseUrl());
        this.deadline = http.deadline();
    }

    /** The longest one call can take before it fails with {@link MiniProgramCallException.Failure#TIMEOUT}. */
    public Duration deadline() {
        return deadline;
    }

    /** Exchanges a {@code wx.login()} code, exactly as received, for the user's openid and session_key. */
    public Mono<UpstreamLoginSession> jscode2session(String appid, String secret, String code) {
        MiniProgramEndpoint endpoint = MiniProgramEndpoint.JSCODE2SESSION;
        // jscode2session labels its JSON text/plain: the bytes are parsed whatever the Content-Type says
        return call(endpoint, wechat.get().uri(uri -> uri.path(endpoint.path())
                        .queryParam("appid", "{appid}")
                        .queryParam("secret", "{secret}")
                        .queryParam("js_code", "{code}")
                        .queryParam("grant_type", "authorization_code")
                        .build(Map.of("appid", appid, "secret", secret, "code", code))),
                WechatMiniProgramClient::loginSession);
    }

    /** Whether the session_key behind {@code signature} is still the user's current one; errcode 87009 if not. */
    public Mono<Void> checkSession(String accessToken, String openid, String signature) {
        MiniProgramEndpoint endpoint = MiniProgramEndpoint.CHECK_SESSION;
        return call(endpoint, wechat.get().uri(uri -> uri.path(endpoint.path())
                        .queryParam("access_token", "{token}")
                        .queryParam("openid", "{openid}")
                        .queryParam("signature", "{signature}")
                        .queryParam("sig_method", "hmac_sha256")
                        .build(Map.of("token", accessToken, "openid", openid, "signature", signature))),
                json -> json).then();
    }

    /** Redeems a phone code (from the phone button) for the user's phone number. */
    public Mono<UpstreamPhoneNumber> phoneNumber(String accessToken, String code, String openid) {
        MiniProgramEndpoint endpoint = MiniProgramEndpoint.PHONE_NUMBER;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        if (openid != null) {
            body.put("openid", openid);
        }
        return call(endpoint, wechat.post().uri(uri -> uri.path(endpoint.path())
                                .queryParam("access_token", "{token}").build(Map.of("token", accessToken)))
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(JSON.writeValueAsBytes(body)),
                WechatMiniProgramClient::phoneNumber);
    }

    private <T> Mono<T> call(MiniProgramEndpoint endpoint, WebClient.RequestHeadersSpec<?> request,
                             Function<JsonNode, T> interpret) {
        return meter.counted(endpoint.path(), request.exchangeToMono(response -> answer(endpoint, response))
                .map(json -> interpret.apply(json))
                .timeout(deadline)
                .onErrorMap(error -> !(error instanceof MiniProgramCallException), error -> translate(endpoint, error)));
    }

    private static Mono<JsonNode> answer(MiniProgramEndpoint endpoint, ClientResponse response) {
        int status = response.statusCode().value();
        if (status >= 400) {
            return response.releaseBody().then(Mono.error(MiniProgramCallException.httpStatus(endpoint, status)));
        }
        return response.bodyToMono(byte[].class).defaultIfEmpty(new byte[0]).map(body -> parse(endpoint, body));
    }

    /** The answer as a JSON object with errcode 0 (or none); anything else is an exception. */
    static JsonNode parse(MiniProgramEndpoint endpoint, byte[] body) {
        JsonNode json;
        try {
            json = body.length == 0 ? null : JSON.readTree(body);
        } catch (JacksonException e) {
            throw MiniProgramCallException.malformed(endpoint, "something that is not JSON");
        }
        if (json == null || !json.isObject()) {
            throw MiniProgramCallException.malformed(endpoint, "something that is not a JSON object");
        }
        JsonNode errcode = json.path("errcode");
        if (!errcode.isMissingNode() && !errcode.isNull() && (!errcode.canConvertToInt() || errcode.asInt() != 0)) {
            int code = errcode.canConvertToInt() ? errcode.asInt() : -1;
            throw MiniProgramCallException.errcode(endpoint, code, rid(json.path("errmsg").asString("")));
        }
        return json;
    }

    static UpstreamLoginSession loginSession(JsonNode json) {
        MiniProgramEndpoint endpoint = MiniProgramEndpoint.JSCODE2SESSION;
        String openid = text(json, "openid");
        String sessionKey = text(json, "session_key");
        if (openid == null) {
            throw MiniProgramCallException.malformed(endpoint, "no openid");
        }
        if (sessionKey == null || !isSessionKey(sessionKey)) {
            throw MiniProgramCallException.malformed(endpoint, "no session_key of 16 bytes in base64");
        }
        return new UpstreamLoginSession(openid, text(json, "unionid"), sessionKey);
    }

    static UpstreamPhoneNumber phoneNumber(JsonNode json) {
        MiniProgramEndpoint endpoint = MiniProgramEndpoint.PHONE_NUMBER;
        JsonNode info = json.path("phone_info");
        String phoneNumber = text(info, "phoneNumber");
        String purePhoneNumber = text(info, "purePhoneNumber");
        JsonNode country = info.path("countryCode");
        String countryCode = country.isString() ? country.asString()
                : country.isIntegralNumber() ? country.asString() : null;
        JsonNode watermark = info.path("watermark");
        if (phoneNumber == null || purePhoneNumber == null || countryCode == null
                || !watermark.path("timestamp").isIntegralNumber() || text(watermark, "appid") == null) {
            throw MiniProgramCallException.malformed(endpoint, "no complete phone_info");
        }
        return new UpstreamPhoneNumber(phoneNumber, purePhoneNumber, countryCode,
                watermark.path("timestamp").asLong(), text(watermark, "appid"));
    }

    /** Base64 (standard alphabet, padded) of exactly 16 bytes: what WeChat's session_key always is. */
    static boolean isSessionKey(String text) {
        try {
            return text.length() == 24 && Base64.getDecoder().decode(text).length == SESSION_KEY_BYTES;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.path(field);
        return value.isString() && !value.asString().isEmpty() ? value.asString() : null;
    }

    private static String rid(String errmsg) {
        Matcher matcher = RID.matcher(errmsg);
        return matcher.find() ? matcher.group(1) : "";
    }

    private static MiniProgramCallException translate(MiniProgramEndpoint endpoint, Throwable error) {
        boolean tls = false;
        Throwable root = error;
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException || cause instanceof ReadTimeoutException) {
                return MiniProgramCallException.timeout(endpoint, "no answer in time");
            }
            if (cause instanceof ConnectTimeoutException) {
                return MiniProgramCallException.timeout(endpoint, "could not connect in time");
            }
            if (cause instanceof MiniProgramCallException call) {
                return call;
            }
            tls |= cause instanceof SSLException;
            root = cause;
            if (cause.getCause() == cause) {
                break;
            }
        }
        // the class name only: a transport error's message may quote the URL, and with it a secret or a code
        String what = root.getClass().getSimpleName();
        return MiniProgramCallException.transport(endpoint, tls ? "TLS handshake failed (" + what + ")" : what);
    }

    @Override
    public void close() {
        http.close();
    }
}
