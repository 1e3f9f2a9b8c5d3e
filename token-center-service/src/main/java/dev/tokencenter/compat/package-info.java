/**
 * WeChat-compatible token endpoints ({@code /cgi-bin/token}, {@code /cgi-bin/stable_token}, {@code /cgi-bin/gettoken})
 * for SDKs that already speak WeChat's API, with a fast path for warm calls that never leaves the event loop.
 */
package dev.tokencenter.compat;
