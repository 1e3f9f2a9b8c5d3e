package dev.tokencenter.compat;

import reactor.core.publisher.Mono;

import java.util.List;

/** Finds the credentials of a tenant by AppID (WeCom: corp id). Never blocks the calling thread. */
interface CompatCredentials {

    /** Every credential of the tenant with this AppID, enabled ones first; empty list when none. */
    Mono<List<CompatCredential>> findByAppid(String tenant, String appid);

    /**
     * What {@link #findByAppid} answers at once from memory; empty when it would have to ask the registry first
     * (catalog not loaded, AppID not known here).
     */
    List<CompatCredential> findInMemory(String tenant, String appid);
}
