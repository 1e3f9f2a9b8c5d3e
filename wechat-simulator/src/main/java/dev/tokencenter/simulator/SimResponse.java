package dev.tokencenter.simulator;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP answer: status, content type and body. */
record SimResponse(int status, String contentType, byte[] body) {

    /** What api.weixin.qq.com really sends (sic: "encoding", not "charset"). */
    static final String WECHAT_JSON = "application/json; encoding=utf-8";
    /** What qyapi.weixin.qq.com sends. */
    static final String WECOM_JSON = "application/json; charset=UTF-8";
    /** What the simulator's own control API sends. */
    static final String JSON = "application/json";
    /** {@code /sns/jscode2session} really answers JSON labelled text/plain, a well-known trap for clients. */
    static final String TEXT_PLAIN = "text/plain";

    static SimResponse wechat(Map<String, ?> body) {
        return new SimResponse(200, WECHAT_JSON, Json.write(body));
    }

    static SimResponse wechatError(int errcode) {
        return wechatError(errcode, ErrorCatalog.wechatMessage(errcode));
    }

    static SimResponse wechatError(int errcode, String errmsg) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errcode", errcode);
        body.put("errmsg", errmsg);
        return wechat(body);
    }

    static SimResponse wecom(Map<String, ?> body) {
        return new SimResponse(200, WECOM_JSON, Json.write(body));
    }

    static SimResponse wecomError(int errcode) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errcode", errcode);
        body.put("errmsg", ErrorCatalog.wecomMessage(errcode));
        return wecom(body);
    }

    static SimResponse json(int status, Object body) {
        return new SimResponse(status, JSON, Json.write(body));
    }

    static SimResponse controlError(int status, String message) {
        return json(status, Map.of("error", message));
    }

    static SimResponse plain(int status, String text) {
        return new SimResponse(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** A WeChat success body: {@code errcode 0, errmsg "ok"} followed by {@code fields}. */
    static Map<String, Object> okBody() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errcode", 0);
        body.put("errmsg", "ok");
        return body;
    }

    SimResponse withContentType(String type) {
        return new SimResponse(status, type, body);
    }
}
