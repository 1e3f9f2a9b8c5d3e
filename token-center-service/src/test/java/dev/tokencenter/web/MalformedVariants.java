package dev.tokencenter.web;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Malformed variants of every operation and parameter of an OpenAPI document: odd path segments, bad query values,
 * request bodies of the wrong types, with missing and extra fields, empty, huge, truncated, badly encoded or of the
 * wrong content type, and requests without or with wrong credentials. Each variant breaks one thing of a base request
 * built from {@link Bases}; the bases are chosen so that a variant the service accepted after all would change
 * nothing (they name existing ids, current values or an unknown app), which the test checks.
 */
final class MalformedVariants {

    enum Auth { AS_CALLER, NONE, WRONG }

    record Variant(String category, String label, String method, String target, String contentType, byte[] body,
                   Auth auth, boolean servesTokens, String accept) {
    }

    /** Values of a request that would be accepted, except where a base body is deliberately a conflict or no-op. */
    record Bases(Map<String, String> pathValues, Map<String, String> queryValues, Map<String, JsonNode> bodies) {
    }

    /** A marker repeated to build huge values: an answer quoting any of it is an echo. */
    static final String HUGE_MARKER = "ZQXJ";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int KIB = 1024;
    private static final String RAW = "\u0000raw:";

    /** Percent-encoded path segments: NUL, invalid UTF-8, dot segments, encoded slashes, CRLF, unicode, long. */
    private static final List<String> ODD_SEGMENTS = List.of("%00", "%FF%FE", "..", "%2E%2E", "a%2Fb", "%E5%90%8D%E5%AD%97",
            "%F0%9F%98%80", "a".repeat(300), "%20x%20", "%0D%0AX-Injected:%201", "%3Cscript%3E", "*", "%25", "x;y=z",
            "UPPER", "-leading");

    private static final List<String> ODD_QUERY_VALUES = List.of("", "%00", "%FF", HUGE_MARKER.repeat(1000),
            "%E5%90%8D%0A%07", "-1", "1e999999", "true", "%5B%5D", "2026-13-45T99:99:99Z");

    private final JsonNode spec;
    private final Bases bases;
    private final List<Variant> variants = new ArrayList<>();

    private MalformedVariants(JsonNode spec, Bases bases) {
        this.spec = spec;
        this.bases = bases;
    }

    static List<Variant> of(JsonNode spec, Bases bases) {
        MalformedVariants generator = new MalformedVariants(spec, bases);
        for (Map.Entry<String, JsonNode> path : spec.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                if (List.of("get", "post", "put", "delete", "patch").contains(operation.getKey())) {
                    generator.operation(path.getKey(), operation.getKey().toUpperCase(), operation.getValue());
                }
            }
        }
        generator.pathsNothingAnswers();
        return generator.variants;
    }

    /** Paths outside the document: each API's chain and the catch-all chain must still answer from the catalogue. */
    private void pathsNothingAnswers() {
        String tenant = bases.pathValues().get("tenant");
        for (String[] request : new String[][] {{"GET", "/nope"}, {"GET", "/actuator/env"}, {"DELETE", "/v3/api-docs"},
                {"POST", "/admin/api/nope"}, {"GET", "/admin/api/tenants/" + tenant + "/nope"}, {"PATCH", "/admin/api/tenants"},
                {"GET", "/v1/nope"}, {"PUT", "/v1/tokens/" + tenant + "/mini/prod"}, {"PUT", "/cgi-bin/token"},
                {"GET", "/cgi-bin/nope"}}) {
            add("unknown path", request[0] + " " + request[1], request[0], request[1], null, null, Auth.AS_CALLER, false);
        }
    }

    private void operation(String template, String method, JsonNode operation) {
        List<String> pathParams = new ArrayList<>();
        List<String> queryParams = new ArrayList<>();
        for (JsonNode parameter : operation.path("parameters")) {
            String in = parameter.path("in").asString();
            if ("path".equals(in)) {
                pathParams.add(parameter.get("name").asString());
            } else if ("query".equals(in)) {
                queryParams.add(parameter.get("name").asString());
            }
        }
        JsonNode bodySchema = resolve(operation.path("requestBody").path("content").path("application/json").path("schema"));
        JsonNode baseBody = bodySchema.isMissingNode() ? null : baseBody(method, template, bodySchema);
        byte[] body = baseBody == null ? null : bytes(baseBody);
        String contentType = baseBody == null ? null : "application/json";
        boolean servesTokens = template.startsWith("/v1/tokens") || template.startsWith("/cgi-bin/");
        String op = method + " " + template;

        for (String name : pathParams) {
            for (String odd : ODD_SEGMENTS) {
                add("path parameter", op + " {" + name + "}=" + label(odd), method,
                        path(template, name, odd) + query(queryParams, null, null), contentType, body, Auth.AS_CALLER, servesTokens);
            }
        }
        for (String name : queryParams) {
            for (String odd : ODD_QUERY_VALUES) {
                add("query parameter", op + " ?" + name + "=" + label(odd), method,
                        path(template, null, null) + query(queryParams, name, odd), contentType, body, Auth.AS_CALLER, servesTokens);
            }
            String baseQuery = query(queryParams, null, null);
            add("query parameter", op + " ?" + name + " twice", method, path(template, null, null) + baseQuery
                    + (baseQuery.isEmpty() ? "?" : "&") + name + "=a&" + name + "=b", contentType, body, Auth.AS_CALLER, servesTokens);
        }
        String target = path(template, null, null) + query(queryParams, null, null);
        if (baseBody != null) {
            bodyVariants(op, method, target, (ObjectNode) baseBody, bodySchema, servesTokens);
        }
        // only where the base request changes nothing: a bad Accept header does not make a DELETE malformed
        for (String accept : "GET".equals(method) || baseBody != null ? List.of("application/xml", "text/html;q=x", "nonsense")
                : List.<String>of()) {
            add("accept header", op + " accepting " + accept, method, target, contentType, body, Auth.AS_CALLER, servesTokens,
                    accept);
        }
        if (!template.startsWith("/cgi-bin/")) {
            add("credentials", op + " without credentials", method, target, contentType, body, Auth.NONE, false);
            add("credentials", op + " with wrong credentials", method, target, contentType, body, Auth.WRONG, false);
        }
    }

    private void bodyVariants(String op, String method, String target, ObjectNode base, JsonNode schema, boolean servesTokens) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        collectFields("", schema, fields);
        for (Map.Entry<String, JsonNode> field : fields.entrySet()) {
            String name = field.getKey();
            String type = field.getValue().path("type").asString("object");
            for (Map.Entry<String, JsonNode> wrong : wrongValues(type).entrySet()) {
                ObjectNode copy = base.deepCopy();
                set(copy, name, wrong.getValue());
                addBody("body field type", op + " " + name + "=" + wrong.getKey(), method, target, bytes(copy), servesTokens);
            }
            ObjectNode missing = base.deepCopy();
            remove(missing, name);
            addBody("body field missing", op + " without " + name, method, target, bytes(missing), servesTokens);
        }
        byte[] json = bytes(base);
        String text = new String(json, StandardCharsets.UTF_8);
        ObjectNode extra = base.deepCopy();
        extra.put("unexpected_field", 1);
        addBody("body extra field", op + " with an unknown field", method, target, bytes(extra), servesTokens);
        for (Map.Entry<String, JsonNode> field : fields.entrySet()) {
            if (field.getKey().contains("[0].")) {
                ObjectNode nested = base.deepCopy();
                String item = field.getKey().substring(0, field.getKey().indexOf("[0].") + 3);
                set(nested, item + ".unexpected_field", NODES.numberNode(1));
                addBody("body extra field", op + " with an unknown field in " + item, method, target, bytes(nested), servesTokens);
                break;
            }
        }
        String first = fields.keySet().stream().filter(name -> !name.contains("[")).findFirst().orElse("x");
        Map<String, byte[]> documents = new LinkedHashMap<>();
        documents.put("empty", new byte[0]);
        documents.put("null", "null".getBytes(StandardCharsets.UTF_8));
        documents.put("an array", ("[" + text + "]").getBytes(StandardCharsets.UTF_8));
        documents.put("a string", "\"text\"".getBytes(StandardCharsets.UTF_8));
        documents.put("a number", "123".getBytes(StandardCharsets.UTF_8));
        documents.put("truncated", text.substring(0, text.length() / 2).getBytes(StandardCharsets.UTF_8));
        documents.put("trailing tokens", (text + " {}").getBytes(StandardCharsets.UTF_8));
        documents.put("a repeated key", ("{\"" + first + "\":\"a\"," + text.substring(1)).getBytes(StandardCharsets.UTF_8));
        documents.put("invalid UTF-8", concat("{\"" + first + "\":\"", new byte[] {(byte) 0xFF, (byte) 0xFE, (byte) 0xC3}, "\"}"));
        documents.put("a byte order mark", concat("", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, text));
        documents.put("comments", ("/* c */" + text).getBytes(StandardCharsets.UTF_8));
        documents.put("single quotes", text.replace('"', '\'').getBytes(StandardCharsets.UTF_8));
        documents.put("NaN", ("{\"" + first + "\":NaN}").getBytes(StandardCharsets.UTF_8));
        documents.put("10,000 nested arrays", ("[".repeat(10_000) + "]".repeat(10_000)).getBytes(StandardCharsets.UTF_8));
        documents.put("a 10,000-digit number", ("{\"" + first + "\":" + "9".repeat(10_000) + "}").getBytes(StandardCharsets.UTF_8));
        documents.put("64 KiB", sized(base, first, 64 * KIB));
        documents.put("1 MiB", sized(base, first, 1024 * KIB));
        documents.forEach((label, bytes) -> addBody("body document", op + " body " + label, method, target, bytes, servesTokens));
        for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/json; charset=UTF-16", "application/json; charset=nope")) {
            add("content type", op + " as " + type, method, target, type, json, Auth.AS_CALLER, servesTokens);
        }
        add("content type", op + " without a content type", method, target, null, json, Auth.AS_CALLER, servesTokens);
    }

    private Map<String, JsonNode> wrongValues(String type) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        if (!"string".equals(type)) {
            values.put("a string", NODES.stringNode("1"));
        }
        if (!"integer".equals(type) && !"number".equals(type)) {
            values.put("an integer", NODES.numberNode(42));
        }
        values.put("1e999999", raw("1e999999"));
        values.put("a float", raw("1.5"));
        values.put("a 30-digit integer", raw("123456789012345678901234567890"));
        if (!"boolean".equals(type)) {
            values.put("a boolean", NODES.booleanNode(true));
        }
        values.put("null", NODES.nullNode());
        if (!"array".equals(type)) {
            values.put("an array", NODES.arrayNode().add("x"));
        }
        if (!"object".equals(type)) {
            values.put("an object", NODES.objectNode().put("x", 1));
        }
        values.put("an empty string", NODES.stringNode(""));
        values.put("blank", NODES.stringNode("   "));
        values.put("64 KiB", NODES.stringNode(HUGE_MARKER.repeat(16 * KIB)));
        values.put("unicode and control characters", NODES.stringNode("\u540d\u5b57\u00fc\u202e\u0000\u0007\r\n\t\ud83d\ude00"));
        values.put("a lone surrogate", raw("\"\\ud800\""));
        if ("array".equals(type)) {
            values.put("an empty array", NODES.arrayNode());
            ArrayNode many = NODES.arrayNode();
            for (int i = 0; i < 5000; i++) {
                many.add(NODES.objectNode().put("app", "no-such-app").put("env", "*"));
            }
            values.put("5,000 items", many);
        }
        return values;
    }

    private void collectFields(String prefix, JsonNode schema, Map<String, JsonNode> fields) {
        JsonNode properties = resolve(schema).path("properties");
        for (Map.Entry<String, JsonNode> property : properties.properties()) {
            String name = prefix + property.getKey();
            JsonNode propertySchema = resolve(property.getValue());
            fields.put(name, propertySchema);
            JsonNode items = resolve(propertySchema.path("items"));
            if ("array".equals(propertySchema.path("type").asString()) && items.has("properties")) {
                collectFields(name + "[0].", items, fields);
            }
        }
    }

    private JsonNode baseBody(String method, String template, JsonNode schema) {
        JsonNode known = bases.bodies().get(method + " " + template);
        return known != null ? known.deepCopy() : example(schema);
    }

    /** A body built from the schema alone, for an operation without a base: flagged by its values. */
    private JsonNode example(JsonNode schema) {
        JsonNode resolved = resolve(schema);
        return switch (resolved.path("type").asString("object")) {
            case "string" -> NODES.stringNode("x");
            case "boolean" -> NODES.booleanNode(false);
            case "integer", "number" -> NODES.numberNode(1);
            case "array" -> NODES.arrayNode().add(example(resolved.path("items")));
            default -> {
                ObjectNode object = NODES.objectNode();
                resolved.path("properties").properties().forEach(p -> object.set(p.getKey(), example(p.getValue())));
                yield object;
            }
        };
    }

    private JsonNode resolve(JsonNode schema) {
        String ref = schema.path("$ref").asString("");
        if (ref.startsWith("#/components/schemas/")) {
            return spec.path("components").path("schemas").path(ref.substring("#/components/schemas/".length()));
        }
        return schema;
    }

    private String path(String template, String oddName, String oddValue) {
        String path = template;
        for (Map.Entry<String, String> value : bases.pathValues().entrySet()) {
            String replacement = value.getKey().equals(oddName) ? oddValue : value.getValue();
            path = path.replace("{" + value.getKey() + "}", replacement);
        }
        if (oddName != null && !bases.pathValues().containsKey(oddName)) {
            path = path.replace("{" + oddName + "}", oddValue);
        }
        return path.replaceAll("\\{[^}]+}", "unknown");
    }

    private String query(List<String> names, String oddName, String oddValue) {
        StringBuilder query = new StringBuilder();
        for (String name : names) {
            String value = name.equals(oddName) ? oddValue : bases.queryValues().get(name);
            if (value != null) {
                query.append(query.isEmpty() ? "?" : "&").append(name).append('=').append(value);
            }
        }
        return query.toString();
    }

    private void addBody(String category, String label, String method, String target, byte[] body, boolean servesTokens) {
        add(category, label, method, target, "application/json", body, Auth.AS_CALLER, servesTokens);
    }

    private void add(String category, String label, String method, String target, String contentType, byte[] body,
                     Auth auth, boolean servesTokens) {
        add(category, label, method, target, contentType, body, auth, servesTokens, null);
    }

    private void add(String category, String label, String method, String target, String contentType, byte[] body,
                     Auth auth, boolean servesTokens, String accept) {
        variants.add(new Variant(category, label, method, target, contentType, body, auth, servesTokens, accept));
    }

    private static String label(String value) {
        return value.length() > 40 ? value.length() + " characters" : value;
    }

    private static JsonNode raw(String json) {
        return NODES.stringNode(RAW + json);
    }

    /** Serialises, then puts raw JSON (numbers a tree cannot hold, bad escapes) where the placeholders are. */
    private static byte[] bytes(JsonNode node) {
        String text = JSON.writeValueAsString(node);
        int at;
        while ((at = text.indexOf("\"\\u0000raw:")) >= 0) {
            int end = text.indexOf('"', at + 11);
            while (text.charAt(end - 1) == '\\') {
                end = text.indexOf('"', end + 1);
            }
            String raw = text.substring(at + 11, end).replace("\\\"", "\"").replace("\\\\", "\\");
            text = text.substring(0, at) + raw + text.substring(end + 1);
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] sized(ObjectNode base, String field, int size) {
        ObjectNode copy = base.deepCopy();
        copy.put(field, HUGE_MARKER.repeat(size / HUGE_MARKER.length()));
        return bytes(copy);
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** Sets {@code grants[0].app}-style paths in a copy of the base body. */
    private static void set(ObjectNode body, String path, JsonNode value) {
        edit(body, path, (parent, name) -> parent.set(name, value));
    }

    private static void remove(ObjectNode body, String path) {
        edit(body, path, ObjectNode::remove);
    }

    private static void edit(ObjectNode body, String path, BiConsumer<ObjectNode, String> change) {
        String[] parts = path.split("\\.");
        ObjectNode parent = body;
        for (int i = 0; i < parts.length - 1; i++) {
            String part = parts[i].replace("[0]", "");
            JsonNode child = parent.get(part);
            if (child instanceof ArrayNode array && !array.isEmpty() && array.get(0) instanceof ObjectNode item) {
                parent = item;
            } else if (child instanceof ObjectNode object) {
                parent = object;
            } else {
                return;
            }
        }
        change.accept(parent, parts[parts.length - 1]);
    }
}
