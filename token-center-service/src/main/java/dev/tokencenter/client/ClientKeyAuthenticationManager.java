package dev.tokencenter.client;

import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Verifies a bearer client key against the (cached) stored hash. */
@Component
public class ClientKeyAuthenticationManager implements ReactiveAuthenticationManager {

    private final ApiClientDirectory directory;

    ClientKeyAuthenticationManager(ApiClientDirectory directory) {
        this.directory = directory;
    }

    @Override
    public Mono<Authentication> authenticate(Authentication authentication) {
        if (!(authentication instanceof ClientKeyAuthentication presented) || presented.key() == null) {
            return Mono.empty();
        }
        return directory.authenticate(presented.key())
                .<Authentication>map(ClientKeyAuthentication::verified)
                .switchIfEmpty(Mono.error(() -> new InvalidClientKeyException("the client key is not valid")));
    }
}
