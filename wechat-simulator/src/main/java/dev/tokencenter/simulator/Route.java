package dev.tokencenter.simulator;

/**
 * One WeChat/WeCom endpoint: its exact path, the platform whose error style and tokens it uses, and the
 * code that answers it.
 */
record Route(String path, Platform platform, Handler handler) {

    @FunctionalInterface
    interface Handler {
        SimResponse handle(SimRequest request, SimulatorState state);
    }

    /** An error answer in this endpoint's platform style; {@code errmsg} null for the usual message. */
    SimResponse error(int errcode, String errmsg) {
        if (errmsg == null) {
            return ApiSupport.error(platform, errcode);
        }
        SimResponse response = SimResponse.wechatError(errcode, errmsg);
        return platform == Platform.WECOM ? response.withContentType(SimResponse.WECOM_JSON) : response;
    }
}
