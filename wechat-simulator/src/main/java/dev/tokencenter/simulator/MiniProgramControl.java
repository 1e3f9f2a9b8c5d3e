package dev.tokencenter.simulator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The control API's mini program operations (paths under {@value ControlApi#PREFIX}): minting login and phone
 * codes, reading a user's session, flagging high-risk users and producing encryptedData.
 */
final class MiniProgramControl {

    static final Set<String> PATHS = Set.of("/login-codes", "/phone-codes", "/encrypted-data", "/sessions",
            "/high-risk-users");

    private final WechatSimulator simulator;

    MiniProgramControl(WechatSimulator simulator) {
        this.simulator = simulator;
    }

    /** The answer for {@code method path}, or {@code null} when this class has no such operation. */
    SimResponse route(String method, String path, SimRequest request) {
        return switch (method + " " + path) {
            case "POST /login-codes" -> loginCode(request);
            case "POST /phone-codes" -> phoneCode(request);
            case "POST /encrypted-data" -> encryptedData(request);
            case "GET /sessions" -> session(request);
            case "POST /high-risk-users" -> markHighRisk(request);
            case "DELETE /high-risk-users" -> clearHighRisk(request);
            default -> null;
        };
    }

    private SimResponse loginCode(SimRequest request) {
        Map<String, Object> body = request.json();
        LoginCode code = simulator.mintLoginCode(ControlApi.required(body, "appid"),
                ControlApi.required(body, "openid"), Json.text(body, "unionid"));
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("code", code.code());
        reply.put("session_key", code.sessionKey());
        return SimResponse.json(200, reply);
    }

    private SimResponse phoneCode(SimRequest request) {
        Map<String, Object> body = request.json();
        String phoneNumber = ControlApi.required(body, "phone_number");
        String pure = Json.text(body, "pure_phone_number");
        String countryCode = Json.text(body, "country_code");
        String code = simulator.mintPhoneCode(ControlApi.required(body, "appid"), phoneNumber,
                pure == null ? phoneNumber : pure, countryCode == null ? "86" : countryCode);
        return SimResponse.json(200, Map.of("code", code));
    }

    /** {@code session_key} encrypts with that key (it must be a user's current one); {@code openid} with theirs. */
    @SuppressWarnings("unchecked")
    private SimResponse encryptedData(SimRequest request) {
        Map<String, Object> body = request.json();
        Object payload = body.get("payload");
        if (payload != null && !(payload instanceof Map)) {
            throw new IllegalArgumentException("payload must be a JSON object");
        }
        Map<String, Object> content = payload == null ? Map.of() : (Map<String, Object>) payload;
        String appid = ControlApi.required(body, "appid");
        String sessionKey = Json.text(body, "session_key");
        String openid = Json.text(body, "openid");
        if ((sessionKey == null) == (openid == null)) {
            throw new IllegalArgumentException("give exactly one of session_key and openid");
        }
        EncryptedPayload encrypted = sessionKey != null
                ? simulator.encryptForSession(appid, sessionKey, content)
                : simulator.encryptForUser(appid, openid, content);
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("encrypted_data", encrypted.encryptedData());
        reply.put("iv", encrypted.iv());
        return SimResponse.json(200, reply);
    }

    private SimResponse session(SimRequest request) {
        String appid = ControlApi.requiredParam(request, "appid");
        String openid = ControlApi.requiredParam(request, "openid");
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("appid", appid);
        reply.put("openid", openid);
        reply.put("session_key", simulator.currentSessionKey(appid, openid).orElse(null));
        return SimResponse.json(200, reply);
    }

    private SimResponse markHighRisk(SimRequest request) {
        Map<String, Object> body = request.json();
        String appid = ControlApi.required(body, "appid");
        String openid = ControlApi.required(body, "openid");
        simulator.markHighRiskUser(appid, openid);
        return SimResponse.json(200, Map.of("appid", appid, "openid", openid, "high_risk", true));
    }

    private SimResponse clearHighRisk(SimRequest request) {
        String appid = ControlApi.requiredParam(request, "appid");
        String openid = ControlApi.requiredParam(request, "openid");
        boolean wasFlagged = simulator.clearHighRiskUser(appid, openid);
        return SimResponse.json(200, Map.of("appid", appid, "openid", openid, "high_risk", false,
                "was_high_risk", wasFlagged));
    }
}
