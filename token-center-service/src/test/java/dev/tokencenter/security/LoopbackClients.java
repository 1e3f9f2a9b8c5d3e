package dev.tokencenter.security;

import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.netty.http.client.HttpClient;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;

/**
 * HTTP clients whose connections come from a chosen loopback address (all of 127.0.0.0/8 is local on Linux), so a
 * test can be a client address of its own: per-address limits of other tests do not touch it.
 */
final class LoopbackClients {

    private static final SecureRandom RANDOM = new SecureRandom();

    private LoopbackClients() {
    }

    /** A fresh loopback address other than 127.0.0.1. */
    static String newAddress() {
        return "127." + (1 + RANDOM.nextInt(250)) + "." + RANDOM.nextInt(256) + "." + (1 + RANDOM.nextInt(250));
    }

    static WebTestClient from(String address, int port) {
        HttpClient client = HttpClient.create().bindAddress(() -> new InetSocketAddress(address, 0));
        return WebTestClient.bindToServer(new ReactorClientHttpConnector(client))
                .baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(30))
                .build();
    }
}
