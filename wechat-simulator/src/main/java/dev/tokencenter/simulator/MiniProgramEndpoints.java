package dev.tokencenter.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Mini program login and user data: jscode2session, getuserphonenumber, checksession. */
final class MiniProgramEndpoints {

    static final String JSCODE2SESSION = "/sns/jscode2session";
    static final String PHONE_NUMBER = "/wxa/business/getuserphonenumber";
    static final String CHECK_SESSION = "/wxa/checksession";

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private record LoginWindow(String appid, String openid) {
    }

    private record PhoneWindow(String appid) {
    }

    private MiniProgramEndpoints() {
    }

    static List<Route> routes() {
        return List.of(
                // api.weixin.qq.com labels this endpoint's JSON as text/plain; faithful on purpose.
                new Route(JSCODE2SESSION, Platform.WECHAT, SimResponse.TEXT_PLAIN,
                        MiniProgramEndpoints::jscode2session),
                new Route(PHONE_NUMBER, Platform.WECHAT, MiniProgramEndpoints::phoneNumber),
                new Route(CHECK_SESSION, Platform.WECHAT, MiniProgramEndpoints::checkSession));
    }

    /**
     * Checks, in order: parameters present (41002, 41004, 41008), grant_type (40002), appid and secret (40013,
     * 40125); then, for a code minted for a user of this app, that user's calls this minute (45011) and risk flag
     * (40226); then the code itself (40029 unknown, another app's or expired; 40163 used).
     */
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
        Optional<String> user = state.codes().loginOwner(appid, code);
        if (user.isPresent()) {
            if (!state.limits().tryAcquire(MINUTE, new LoginWindow(appid, user.get()),
                    state.settings().loginUserMinuteLimit())) {
                return SimResponse.wechatError(ErrorCatalog.MINUTE_QUOTA);
            }
            if (state.highRiskUsers().contains(appid, user.get())) {
                return SimResponse.wechatError(ErrorCatalog.HIGH_RISK_USER);
            }
        }
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

    /**
     * POST only (43002); token (41001, 40001, 42001); JSON body (47001); the app's calls this minute (45011);
     * {@code code} present (41008) and redeemable (40029 unknown, used or expired; 40013 another app's). The
     * optional {@code openid} of the body is not checked.
     */
    static SimResponse phoneNumber(SimRequest request, SimulatorState state) {
        ApiSupport.AuthorizedPost post = ApiSupport.authorizedJsonPost(request, state);
        if (post.refusal() != null) {
            return post.refusal();
        }
        String appid = post.check().token().appid;
        if (!state.limits().tryAcquire(MINUTE, new PhoneWindow(appid), state.settings().phoneNumberMinuteQuota())) {
            return SimResponse.wechatError(ErrorCatalog.MINUTE_QUOTA);
        }
        String code = Json.text(post.body(), "code");
        if (code == null) {
            return SimResponse.wechatError(ErrorCatalog.CODE_MISSING);
        }
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
        phoneInfo.put("countryCode", state.settings().phoneCountryCodeAsNumber()
                ? (Object) Long.valueOf(phone.countryCode()) : phone.countryCode());
        phoneInfo.put("watermark", watermark);
        Map<String, Object> reply = SimResponse.okBody();
        reply.put("phone_info", phoneInfo);
        return SimResponse.wechat(reply);
    }

    /**
     * Token (41001, 40001, 42001); {@code openid} present (40003); {@code sig_method=hmac_sha256} (40097); then
     * the signature against the user's current session_key (87009 when it differs or the user has none); see
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
        return SimResponse.wechat(SimResponse.okBody());
    }
}
