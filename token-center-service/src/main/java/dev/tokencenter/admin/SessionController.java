package dev.tokencenter.admin;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.util.List;

@RestController
@Tag(name = "Session")
class SessionController {

    record Me(String username, List<String> roles) {
    }

    @GetMapping("/admin/api/me")
    @Operation(summary = "Who is logged in and with which roles (VIEWER); also sets the XSRF-TOKEN cookie")
    Mono<Me> me(Authentication authentication) {
        return Mono.just(new Me(authentication.getName(), authentication.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority).filter(a -> a.startsWith("ROLE_")).map(a -> a.substring(5))
                .sorted().toList()));
    }
}
