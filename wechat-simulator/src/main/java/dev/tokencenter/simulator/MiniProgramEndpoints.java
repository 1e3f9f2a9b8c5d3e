package dev.tokencenter.simulator;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Mini program login and user data: jscode2session, getuserphonenumber, checksession. */
final class MiniProgramEndpoints {

    static final String JSCODE2SESSION = "/sns/jscode2session";
    static final String PHONE_NUMBER = "/wxa/business/getuserphonenumber";
    static final String CHECK_SESSION = "/wxa/checksession";

    private MiniProgramEndpoints() {
    }

    static List<Route> routes() {
        return List.of(
                new Route(JSCODE2SESSION, Platform.WECHAT, (request, state) ->
                        // api.weixin.qq.com labels this endpoint's JSON as text/plain; faithful on purpose.
                        jscode2session(request, state).withContentType(SimResponse.TEXT_PLAIN)),
                new Route(PHONE_NUMBER, Platform.WECHAT, MiniProgramEndpoints::phoneNumber),
                new Route(CHECK_SESSION, Platform.WECHAT, MiniProgramEndpoints::checkSession));
    }

    static SimResponse jscode2session(SimRequest request, SimulatorState state) {
        String appid = request.param("appid");
        String secret = request.param("secret");
        String code = request.param("js_code");
        if (appid == null) {
            return SimResponse.wechatError(ErrorCatalog.APPID_MISSING);
        }
        if (secret == null) {
            return SimResponse.wechatError(ErrorCatalog.APPSECRET_MISSING);
        }
        if (code == null) {
            return SimResponse.wechatError(ErrorCatalog.CODE_MISSING);
        }
        if (!"authorization_code".equals(request.param("grant_type"))) {
            return SimResponse.wechatError(ErrorCatalog.INVALID_GRANT_TYPE);
        }
        switch (state.apps().check(appid, secret, Platform.WECHAT)) {
            case UNKNOWN_APP -> {
                return SimResponse.wechatError(ErrorCatalog.INVALID_APPID);
            }
            case WRONG_SECRET -> {
                return SimResponse.wechatError(ErrorCatalog.INVALID_APPSECRET);
            }
            case OK -> {
            }
        }
        state.quotas().count(appid, JSCODE2SESSION);
        CodeBook.Redemption<CodeBook.LoginEntry> redemption = state.codes().redeemLogin(appid, code);
        if (!redemption.ok()) {
            return SimResponse.wechatError(redemption.errcode());
        }
        CodeBook.LoginEntry login = redemption.entry();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("session_key", login.sessionKey());
        body.put("openid", login.openid());
        if (login.unionid() != null) {
            body.put("unionid", login.unionid());
        }
        return SimResponse.wechat(body);
    }

    static SimResponse phoneNumber(SimRequest request, SimulatorState state) {
        ApiSupport.AuthorizedPost post = ApiSupport.authorizedJsonPost(request, state);
        if (post.refusal() != null) {
            return post.refusal();
        }
        TokenCheck check = post.check();
        Map<String, Object> body = post.body();
        String code = Json.text(body, "code");
        if (code == null) {
            return SimResponse.wechatError(ErrorCatalog.CODE_MISSING);
        }
        String appid = check.token().appid;
        CodeBook.Redemption<CodeBook.PhoneEntry> redemption = state.codes().redeemPhone(appid, code);
        if (!redemption.ok()) {
            return SimResponse.wechatError(redemption.errcode());
        }
        CodeBook.PhoneEntry phone = redemption.entry();
        Map<String, Object> watermark = new LinkedHashMap<>();
        watermark.put("timestamp", state.clock().now().getEpochSecond());
        watermark.put("appid", appid);
        Map<String, Object> phoneInfo = new LinkedHashMap<>();
        phoneInfo.put("phoneNumber", phone.phoneNumber());
        phoneInfo.put("purePhoneNumber", phone.purePhoneNumber());
        phoneInfo.put("countryCode", phone.countryCode());
        phoneInfo.put("watermark", watermark);
        Map<String, Object> reply = SimResponse.okBody();
        reply.put("phone_info", phoneInfo);
        return SimResponse.wechat(reply);
    }

    /**
     * Verifies the login-state signature against the user's current session_key; see
     * {@link SessionCrypto#loginStateSignature} for why the key is the base64 text.
     */
    static SimResponse checkSession(SimRequest request, SimulatorState state) {
        TokenCheck check = ApiSupport.authorize(request, state, Platform.WECHAT);
        if (!check.ok()) {
            return SimResponse.wechatError(check.errcode());
        }
        String openid = request.param("openid");
        if (openid == null) {
            return SimResponse.wechatError(ErrorCatalog.INVALID_OPENID);
        }
        if (!"hmac_sha256".equals(request.param("sig_method"))) {
            return SimResponse.wechatError(ErrorCatalog.INVALID_ARGS);
        }
        String signature = request.param("signature");
        Optional<String> sessionKey = state.codes().currentSessionKey(check.token().appid, openid);
        if (signature == null || sessionKey.isEmpty() || !MessageDigest.isEqual(
                SessionCrypto.loginStateSignature(sessionKey.get(), "").getBytes(StandardCharsets.UTF_8),
                signature.getBytes(StandardCharsets.UTF_8))) {
            return SimResponse.wechatError(ErrorCatalog.INVALID_SIGNATURE);
        }
        Map<String, Object> ok = new LinkedHashMap<>();
        ok.put("errcode", 0);
        ok.put("errmsg", "ok");
        return SimResponse.wechat(ok);
    }
}
