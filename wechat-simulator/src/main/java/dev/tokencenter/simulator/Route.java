package dev.tokencenter.simulator;

/**
 * One WeChat/WeCom endpoint: its exact path, the platform whose error style and tokens it uses, the code that
 * answers it and, when the endpoint labels its JSON unusually, the content type of every answer (faults too).
 */
record Route(String path, Platform platform, String contentType, Handler handler) {

    @FunctionalInterface
    interface Handler {
        SimResponse handle(SimRequest request, SimulatorState state);
    }

    Route(String path, Platform platform, Handler handler) {
        this(path, platform, null, handler);
    }

    SimResponse answer(SimRequest request, SimulatorState state) {
        return labelled(handler.handle(request, state));
    }

    /** An error answer in this endpoint's platform style; {@code errmsg} null for the usual message. */
    SimResponse error(int errcode, String errmsg) {
        if (errmsg == null) {
            return labelled(ApiSupport.error(platform, errcode));
        }
        if (platform == Platform.WECOM) {
            return SimResponse.wechatError(errcode, errmsg).withContentType(SimResponse.WECOM_JSON);
        }
        return labelled(SimResponse.wechatError(errcode, ErrorCatalog.withRid(errmsg)));
    }

    private SimResponse labelled(SimResponse response) {
        return contentType == null ? response : response.withContentType(contentType);
    }
}
