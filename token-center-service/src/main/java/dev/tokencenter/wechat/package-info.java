/**
 * The upstream: WeChat and WeCom token endpoints, the JS-SDK ticket calls, the mini program calls (login, session
 * check, phone number) and the bounded clients that call them; never logs a secret, a token, a ticket, a code or a
 * user's data.
 */
package dev.tokencenter.wechat;
