package dev.tokencenter.dev;

/** What dev mode prints: loud, because a dev-mode instance must never be mistaken for a real one. */
final class DevBanner {

    static final String WARNING = """

            ************************************************************************
            *  TOKEN CENTER DEV MODE - NOT FOR PRODUCTION                          *
            *  Embedded PostgreSQL and Redis, a simulated WeChat API and a master  *
            *  key generated for this run only. All data is lost when it stops.    *
            ************************************************************************
            """;

    private DevBanner() {
    }

    static String ready(String baseUrl, DemoData demo, String simulatorUrl) {
        String tokenUrl = baseUrl + "/v1/tokens/" + demo.tenant() + "/" + demo.app() + "/" + demo.testEnv();
        return """

                ========================================================================
                 Token Center is running in DEV MODE (not for production)
                ------------------------------------------------------------------------
                 Admin UI      %s/admin/
                 Admin login   %s / %s
                 Admin API     %s/admin/api   (HTTP Basic with the login above)
                 Demo client   %s
                 Demo apps     tenant '%s', app '%s', environments '%s' (AppID %s) and '%s' (AppID %s)
                 WeChat API    simulated at %s
                ------------------------------------------------------------------------
                 Fetch a token:
                   curl -s -H 'Authorization: Bearer %s' %s
                ========================================================================
                """.formatted(baseUrl, demo.adminUsername(), demo.adminPassword(), baseUrl, demo.clientKey(),
                demo.tenant(), demo.app(), demo.testEnv(), demo.testAppid(), demo.prodEnv(), demo.prodAppid(),
                simulatorUrl, demo.clientKey(), tokenUrl);
    }
}
