package dev.tokencenter.refresh;

import dev.tokencenter.crypto.Bindings;
import dev.tokencenter.crypto.Envelope;
import dev.tokencenter.crypto.EnvelopeCipher;
import org.springframework.stereotype.Component;

import java.util.Base64;

/** Seals tokens for Redis, PostgreSQL and pub/sub, bound to their environment ({@code token:<upstream_id>}). */
@Component
class TokenCipher {

    private final EnvelopeCipher cipher;

    TokenCipher(EnvelopeCipher cipher) {
        this.cipher = cipher;
    }

    static String binding(long upstreamId) {
        return Bindings.token(upstreamId);
    }

    StoredToken seal(CurrentToken token) {
        Envelope envelope = cipher.seal(token.accessToken(), binding(token.upstreamId()));
        return new StoredToken(token.upstreamId(), token.sequence(), token.appid(),
                Base64.getEncoder().encodeToString(envelope.toBytes()), token.expiresAt(), token.obtainedAt(),
                token.guaranteedUntil());
    }

    CurrentToken open(StoredToken stored) {
        Envelope envelope = Envelope.fromBytes(Base64.getDecoder().decode(stored.envelope()));
        String value = cipher.open(envelope, binding(stored.upstreamId()));
        return new CurrentToken(stored.upstreamId(), stored.sequence(), stored.appid(), value, stored.expiresAt(),
                stored.obtainedAt(), stored.guaranteedUntil());
    }

    static Envelope envelopeOf(StoredToken stored) {
        return Envelope.fromBytes(Base64.getDecoder().decode(stored.envelope()));
    }
}
