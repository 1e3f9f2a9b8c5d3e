package dev.tokencenter.token;

import dev.tokencenter.registry.CredentialKey;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The fast path's reading of {@code /v1/tokens/{tenant}/{app}/{env}}: anything unusual is left to the full chain. */
class TokenPathTest {

    @Test
    void readsTenantAppAndEnvironment() {
        assertThat(TokenReadFastPath.credentialOf("/v1/tokens/acme/shop-miniapp/prod"))
                .isEqualTo(new CredentialKey("acme", "shop-miniapp", "prod"));
        assertThat(TokenReadFastPath.credentialOf("/v1/tokens/a1/b2/c3")).isEqualTo(new CredentialKey("a1", "b2", "c3"));
    }

    @Test
    void otherPathsAndShapesAreNotRead() {
        assertThat(TokenReadFastPath.credentialOf("/v1/tokens/acme/shop")).isNull();
        assertThat(TokenReadFastPath.credentialOf("/v1/tokens/acme/shop/prod/invalidate")).isNull();
        assertThat(TokenReadFastPath.credentialOf("/v1/tokens/acme/shop/prod/jsapi-ticket")).isNull();
        assertThat(TokenReadFastPath.credentialOf("/v1/tokens/acme/shop/prod/")).isNull();
        assertThat(TokenReadFastPath.credentialOf("/v1/tokens/acme//prod")).isNull();
        assertThat(TokenReadFastPath.credentialOf("/v1/tokens//shop/prod")).isNull();
        assertThat(TokenReadFastPath.credentialOf("/v1/tokens/")).isNull();
        assertThat(TokenReadFastPath.credentialOf("/v2/tokens/acme/shop/prod")).isNull();
        assertThat(TokenReadFastPath.credentialOf("/cgi-bin/token")).isNull();
    }

    @Test
    void onlySlugsAreRead() {
        assertThat(TokenReadFastPath.credentialOf("/v1/tokens/Acme/shop/prod")).as("upper case").isNull();
        assertThat(TokenReadFastPath.credentialOf("/v1/tokens/acme/-shop/prod")).as("leading hyphen").isNull();
        assertThat(TokenReadFastPath.credentialOf("/v1/tokens/acme/shop/pr%6Fd")).as("percent-encoded").isNull();
        assertThat(TokenReadFastPath.credentialOf("/v1/tokens/acme/shop/prod;x=1")).as("matrix parameter").isNull();
        assertThat(TokenReadFastPath.credentialOf("/v1/tokens/acme/sh.op/prod")).isNull();
        assertThat(TokenReadFastPath.credentialOf("/v1/tokens/acme/shop/" + "e".repeat(63)))
                .isEqualTo(new CredentialKey("acme", "shop", "e".repeat(63)));
        assertThat(TokenReadFastPath.credentialOf("/v1/tokens/acme/shop/" + "e".repeat(64))).as("64 characters").isNull();
    }
}
