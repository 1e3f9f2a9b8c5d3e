/**
 * The upstream: WeChat and WeCom token endpoints and the bounded client that calls them; never logs a secret or a
 * token.
 */
package dev.tokencenter.wechat;
