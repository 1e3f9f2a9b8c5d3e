package dev.tokencenter.dev;

/** The demo tenant, app, environments, client and admin that dev mode seeds. */
public record DemoData(String tenant, String app, String testEnv, String testAppid, String prodEnv, String prodAppid,
                       String clientId, String clientKey, String adminUsername, String adminPassword) {

    @Override
    public String toString() {
        return "DemoData[" + tenant + "/" + app + ", client " + clientId + "]";
    }
}
