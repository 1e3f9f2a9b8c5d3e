/**
 * The edge: a Reactor Netty route in front of WebFlux that answers warm, authorised token reads (the token API and the
 * WeChat-compatible endpoints) from memory on the event loop and hands every other request, unchanged, to WebFlux.
 */
package dev.tokencenter.edge;
