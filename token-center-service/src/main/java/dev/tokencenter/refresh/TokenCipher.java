package dev.tokencenter.refresh;

import dev.tokencenter.crypto.Bindings;
import dev.tokencenter.crypto.Envelope;
import dev.tokencenter.crypto.EnvelopeCipher;
import org.springframework.stereotype.Component;

import dev.tokencenter.wechat.TicketEndpoint;

import java.util.Base64;

/**
 * Seals tokens for Redis, PostgreSQL and pub/sub, bound to their upstream credential ({@code token:<upstream_id>}), and
 * JS-SDK tickets for Redis and pub/sub, bound to credential and kind ({@code ticket:<upstream_id>:<kind>}).
 */
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

    StoredTicket sealTicket(CurrentTicket ticket) {
        Envelope envelope = cipher.seal(ticket.ticket(), Bindings.ticket(ticket.upstreamId(), ticket.kind().label()));
        return new StoredTicket(ticket.upstreamId(), ticket.kind().label(), ticket.fence(),
                Base64.getEncoder().encodeToString(envelope.toBytes()), ticket.expiresAt(), ticket.obtainedAt(), ticket.renewableAt());
    }

    CurrentTicket openTicket(StoredTicket stored) {
        TicketEndpoint kind = TicketKinds.byLabel(stored.kind());
        Envelope envelope = Envelope.fromBytes(Base64.getDecoder().decode(stored.envelope()));
        String value = cipher.open(envelope, Bindings.ticket(stored.upstreamId(), kind.label()));
        return new CurrentTicket(stored.upstreamId(), kind, stored.fence(), value, stored.expiresAt(), stored.obtainedAt(),
                stored.renewableAt());
    }
}
