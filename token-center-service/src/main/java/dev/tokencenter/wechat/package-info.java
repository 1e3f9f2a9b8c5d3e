/**
 * The upstream: WeChat and WeCom token and JS-SDK ticket endpoints and the bounded clients that call them; never logs
 * a secret, a token or a ticket.
 */
package dev.tokencenter.wechat;
