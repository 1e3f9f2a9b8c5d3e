package dev.tokencenter.compat;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tokencenter.token.CredentialKey;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.List;

/**
 * AppID look-up with plain JDBC on boundedElastic, cached briefly: SDKs call the compatible endpoints only when
 * their own cached token runs out, so this is not the hot path, but it should survive a short database outage.
 */
@Component
class JdbcCompatCredentials implements CompatCredentials {

    private static final String BY_APPID = """
            select a.slug, e.name, a.platform
              from credential c
              join environment e on e.id = c.environment_id
              join app a on a.id = e.app_id
             where a.tenant_id = ? and c.appid = ?
             order by e.production desc, a.slug, e.name
            """;

    private final AsyncLoadingCache<TenantAppid, List<CompatCredential>> cache;

    JdbcCompatCredentials(JdbcTemplate jdbc) {
        this.cache = Caffeine.newBuilder()
                .maximumSize(10_000)
                .refreshAfterWrite(Duration.ofSeconds(10))
                .expireAfterWrite(Duration.ofMinutes(10))
                .buildAsync((key, executor) -> Mono.fromCallable(() -> jdbc.query(BY_APPID,
                                (rs, row) -> new CompatCredential(new CredentialKey(key.tenant(), rs.getString(1), rs.getString(2)),
                                        "WECOM".equals(rs.getString(3))),
                                key.tenant(), key.appid()))
                        .subscribeOn(Schedulers.boundedElastic())
                        .toFuture());
    }

    @Override
    public Mono<List<CompatCredential>> findByAppid(String tenant, String appid) {
        return Mono.fromFuture(cache.get(new TenantAppid(tenant, appid)), true);
    }

    private record TenantAppid(String tenant, String appid) {
    }
}
