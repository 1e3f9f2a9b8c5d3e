package dev.tokencenter.wechat;

import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import java.util.function.Consumer;

/**
 * TLS for calls to WeChat and WeCom: the server's certificate chain and its host name are always verified. Trust is
 * the JDK's trust store, or, when {@code token-center.wechat.ssl-bundle} names a Spring Boot SSL bundle, only the
 * certificates of that bundle's truststore (for an egress proxy that re-signs traffic with its own CA, or a test
 * upstream). There is deliberately no way to trust every certificate or to skip the host name check.
 */
public final class UpstreamTls {

    private final Consumer<SslContextBuilder> trust;

    private UpstreamTls(Consumer<SslContextBuilder> trust) {
        this.trust = trust;
    }

    /** The JDK's trust store, as for any HTTPS client. */
    public static UpstreamTls jdkTrustStore() {
        return new UpstreamTls(builder -> builder.trustManager((TrustManagerFactory) null));
    }

    /** Only the CAs in the bundle's truststore, with the bundle's protocols and ciphers when it names any. */
    public static UpstreamTls trusting(String bundleName, SslBundle bundle) {
        if (bundle.getStores().getTrustStore() == null) {
            throw new IllegalStateException("token-center.wechat.ssl-bundle names the SSL bundle '" + bundleName
                    + "', which has no truststore: set spring.ssl.bundle.pem." + bundleName + ".truststore.certificate");
        }
        TrustManagerFactory managers = bundle.getManagers().getTrustManagerFactory();
        SslOptions options = bundle.getOptions();
        return new UpstreamTls(builder -> builder.trustManager(managers)
                .protocols(options.getEnabledProtocols())
                .ciphers(SslOptions.asSet(options.getCiphers())));
    }

    /** The client with this trust for {@code https} URLs ({@code http} URLs, as for the simulator, stay plain). */
    HttpClient applyTo(HttpClient http) {
        Http11SslContextSpec context = Http11SslContextSpec.forClient().configure(trust);
        return http.secure(spec -> spec.sslContext(context).handlerConfigurator(UpstreamTls::verifyHostName));
    }

    /** Reactor Netty does this by default too; set here so that no library default decides it. */
    private static void verifyHostName(SslHandler handler) {
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
    }
}
