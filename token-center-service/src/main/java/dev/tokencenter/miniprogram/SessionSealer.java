package dev.tokencenter.miniprogram;

import dev.tokencenter.crypto.Bindings;
import dev.tokencenter.crypto.Envelope;
import dev.tokencenter.crypto.EnvelopeCipher;
import dev.tokencenter.crypto.SealedValueException;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Seals what a session knows of its user (openid, unionid, session_key) with the service's envelope encryption, bound
 * to the environment, its address, its AppID and the session id ({@link Bindings#miniProgramSession}). A sealed value
 * opened under any other binding (a session id used under another tenant/app/env) does not open.
 */
@Component
class SessionSealer {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final EnvelopeCipher cipher;

    SessionSealer(EnvelopeCipher cipher) {
        this.cipher = cipher;
    }

    /** Base64 of the envelope. */
    String seal(LoginSession session) {
        Map<String, String> user = new LinkedHashMap<>();
        user.put("openid", session.openid());
        user.put("unionid", session.unionid());
        user.put("session_key", session.sessionKey());
        Envelope envelope = cipher.seal(JSON.writeValueAsString(user), binding(session.app(), session.sessionId()));
        return Base64.getEncoder().encodeToString(envelope.toBytes());
    }

    /** The user of a sealed session, or empty when it does not open under this app and session id. */
    Optional<SealedUser> open(MiniProgramApp app, String sessionId, String sealed) {
        try {
            Envelope envelope = Envelope.fromBytes(Base64.getDecoder().decode(sealed));
            JsonNode user = JSON.readTree(cipher.open(envelope, binding(app, sessionId)));
            String openid = user.path("openid").asString("");
            String sessionKey = user.path("session_key").asString("");
            if (openid.isEmpty() || sessionKey.isEmpty()) {
                return Optional.empty();
            }
            JsonNode unionid = user.path("unionid");
            return Optional.of(new SealedUser(openid, unionid.isString() ? unionid.asString() : null, sessionKey));
        } catch (SealedValueException | IllegalArgumentException | JacksonException e) {
            return Optional.empty();
        }
    }

    private static String binding(MiniProgramApp app, String sessionId) {
        return Bindings.miniProgramSession(app.environmentId(), app.key().toString(), app.appid(), sessionId);
    }

    /** The opened part of a session; {@link #toString()} never shows the session_key. */
    record SealedUser(String openid, String unionid, String sessionKey) {

        @Override
        public String toString() {
            return "SealedUser[openid=" + openid + ", session_key hidden]";
        }
    }
}
