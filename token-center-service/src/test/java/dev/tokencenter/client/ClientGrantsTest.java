package dev.tokencenter.client;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which app/environment pairs a client's grants reach ({@code *}: every app or every environment). */
class ClientGrantsTest {

    @Test
    void noGrantReachesNothing() {
        assertThat(new ClientGrants(List.of()).allows("shop", "prod")).isFalse();
    }

    @Test
    void aPairReachesOnlyThatAppAndEnvironment() {
        ClientGrants grants = new ClientGrants(List.of(new ClientGrant("shop", "prod")));

        assertThat(grants.allows("shop", "prod")).isTrue();
        assertThat(grants.allows("shop", "test")).isFalse();
        assertThat(grants.allows("blog", "prod")).isFalse();
        assertThat(grants.allows("shop/prod", "")).as("no confusion through the separator").isFalse();
    }

    @Test
    void wildcardsReachEveryEnvironmentOfAnAppOrOneEnvironmentOfEveryApp() {
        ClientGrants everyEnvOfShop = new ClientGrants(List.of(new ClientGrant("shop", ClientGrant.ANY)));
        ClientGrants testOfEveryApp = new ClientGrants(List.of(new ClientGrant(ClientGrant.ANY, "test")));

        assertThat(everyEnvOfShop.allows("shop", "prod")).isTrue();
        assertThat(everyEnvOfShop.allows("shop", "test")).isTrue();
        assertThat(everyEnvOfShop.allows("blog", "prod")).isFalse();
        assertThat(testOfEveryApp.allows("blog", "test")).isTrue();
        assertThat(testOfEveryApp.allows("blog", "prod")).isFalse();
    }

    @Test
    void bothWildcardsReachEverythingOfTheTenantAndGrantsAddUp() {
        ClientGrants all = new ClientGrants(List.of(new ClientGrant(ClientGrant.ANY, ClientGrant.ANY)));
        ClientGrants some = new ClientGrants(List.of(new ClientGrant("shop", "prod"), new ClientGrant("blog", ClientGrant.ANY)));

        assertThat(all.allows("anything", "at-all")).isTrue();
        assertThat(some.allows("shop", "prod")).isTrue();
        assertThat(some.allows("blog", "staging")).isTrue();
        assertThat(some.allows("shop", "staging")).isFalse();
    }

    @Test
    void aPrincipalReadsOnlyItsOwnTenant() {
        ClientPrincipal principal = new ClientPrincipal("c1", "acme", "hash",
                new ClientGrants(List.of(new ClientGrant(ClientGrant.ANY, ClientGrant.ANY))));

        assertThat(principal.mayRead("acme", "shop", "prod")).isTrue();
        assertThat(principal.mayRead("other", "shop", "prod")).isFalse();
    }

    @Test
    void rightsAreGrantedPerPairAndAddUpAcrossGrants() {
        ClientGrants grants = new ClientGrants(List.of(
                new ClientGrant("shop", "prod", List.of("session")),
                new ClientGrant("shop", ClientGrant.ANY, List.of("token")),
                new ClientGrant(ClientGrant.ANY, "test", List.of("jssdk", "phone-number"))));

        assertThat(grants.allows(ClientRight.SESSION, "shop", "prod")).isTrue();
        assertThat(grants.allows(ClientRight.TOKEN, "shop", "prod")).as("from the shop/* grant").isTrue();
        assertThat(grants.allows(ClientRight.SESSION, "shop", "test")).isFalse();
        assertThat(grants.allows(ClientRight.JSSDK, "blog", "test")).isTrue();
        assertThat(grants.allows(ClientRight.PHONE_NUMBER, "shop", "test")).isTrue();
        assertThat(grants.allows(ClientRight.PHONE_NUMBER, "shop", "prod")).isFalse();
        assertThat(grants.allows(ClientRight.TOKEN, "blog", "test")).isFalse();
    }

    @Test
    void aGrantWithoutRightsReadsTokensOnly() {
        ClientGrants grants = new ClientGrants(List.of(new ClientGrant(ClientGrant.ANY, ClientGrant.ANY)));

        assertThat(grants.allows("shop", "prod")).isTrue();
        for (ClientRight right : List.of(ClientRight.SESSION, ClientRight.PHONE_NUMBER, ClientRight.JSSDK)) {
            assertThat(grants.allows(right, "shop", "prod")).as(right.name()).isFalse();
        }
    }

    @Test
    void aPrincipalUsesOnlyTheRightsItWasGranted() {
        ClientPrincipal principal = new ClientPrincipal("c1", "acme", "hash",
                new ClientGrants(List.of(new ClientGrant("shop", "prod", List.of("session")))));

        assertThat(principal.mayUse(ClientRight.SESSION, "acme", "shop", "prod")).isTrue();
        assertThat(principal.mayUse(ClientRight.SESSION, "other", "shop", "prod")).isFalse();
        assertThat(principal.mayRead("acme", "shop", "prod")).isFalse();
    }
}
