package dev.tokencenter.miniprogram;

import dev.tokencenter.client.ClientCallCounter;
import dev.tokencenter.client.ClientRight;
import dev.tokencenter.wechat.MiniProgramCallException;
import dev.tokencenter.wechat.MiniProgramEndpoint;
import dev.tokencenter.wechat.UpstreamPhoneNumber;
import dev.tokencenter.wechat.WechatMiniProgramClient;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import java.time.Clock;

/** {@code POST /v1/miniprogram/{tenant}/{app}/{env}/phone-number}: a phone code for the user's phone number. */
@Component
class PhoneNumberHandler {

    private final MiniProgramApps apps;
    private final ManagedTokenCalls tokenCalls;
    private final WechatMiniProgramClient wechat;
    private final ClientCallCounter calls;
    private final Clock clock;

    PhoneNumberHandler(MiniProgramApps apps, ManagedTokenCalls tokenCalls, WechatMiniProgramClient wechat,
                       ClientCallCounter calls, Clock clock) {
        this.apps = apps;
        this.tokenCalls = tokenCalls;
        this.wechat = wechat;
        this.calls = calls;
        this.clock = clock;
    }

    Mono<ServerResponse> phoneNumber(ServerRequest request) {
        MiniProgramCall call = MiniProgramCall.of(request);
        if (!call.granted(ClientRight.PHONE_NUMBER)) {
            return call.notGranted(ClientRight.PHONE_NUMBER);
        }
        return apps.find(call.credential())
                .flatMap(app -> call.body(request, MiniProgramRequests.PhoneNumberRequest.class).flatMap(body -> {
                    String code = MiniProgramCall.required("code", body.code(), MiniProgramRequests.MAX_CODE_LENGTH);
                    String openid = MiniProgramCall.optional("openid", body.openid(), MiniProgramRequests.MAX_CODE_LENGTH);
                    calls.record(call.client().id(), call.credential(), "phone-number");
                    return tokenCalls.withToken(call.credential(), token -> wechat.phoneNumber(token, code, openid))
                            .map(phone -> ofThisApp(phone, app));
                }))
                .flatMap(phone -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(MiniProgramResponses.PhoneNumberResponse.of(phone)))
                .onErrorResume(MiniProgramCall::answerable, error -> call.problem(error, clock.instant()));
    }

    /** WeChat stamps the answer with the AppID it belongs to; one of another app is not handed out. */
    private static UpstreamPhoneNumber ofThisApp(UpstreamPhoneNumber phone, MiniProgramApp app) {
        if (!app.appid().equals(phone.watermarkAppid())) {
            throw MiniProgramCallException.malformed(MiniProgramEndpoint.PHONE_NUMBER,
                    "a phone number watermarked for another AppID");
        }
        return phone;
    }
}
