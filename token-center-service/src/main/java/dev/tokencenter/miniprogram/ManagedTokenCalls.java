package dev.tokencenter.miniprogram;

import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.token.TokenSource;
import dev.tokencenter.wechat.MiniProgramCallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.function.Function;

/**
 * Calls that need the environment's access token take the managed one from the token module. When WeChat refuses it
 * (40001, 40014, 42001), the token is reported for one compare-and-refresh (refreshed only if it is still the current
 * token and WeChat confirms it fails) and the call is made once more with the token that answers; never more.
 */
@Component
class ManagedTokenCalls {

    private static final Logger log = LoggerFactory.getLogger(ManagedTokenCalls.class);

    private final TokenSource tokens;

    ManagedTokenCalls(TokenSource tokens) {
        this.tokens = tokens;
    }

    <T> Mono<T> withToken(CredentialKey credential, Function<String, Mono<T>> call) {
        return tokens.current(credential).flatMap(token -> call.apply(token.accessToken())
                .onErrorResume(ManagedTokenCalls::tokenRejected, rejected -> {
                    log.info("{}: WeChat refused the access token on {}; reporting it and retrying once",
                            credential, ((MiniProgramCallException) rejected).endpoint().path());
                    return tokens.reportRejected(credential, token.accessToken())
                            .flatMap(answer -> call.apply(answer.token().accessToken()));
                }));
    }

    private static boolean tokenRejected(Throwable error) {
        return error instanceof MiniProgramCallException call && call.tokenRejected();
    }
}
