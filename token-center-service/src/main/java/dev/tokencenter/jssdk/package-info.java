/**
 * JS-SDK for web pages in WeChat and WeCom: the current {@code jsapi_ticket} of a credential
 * ({@code GET /v1/tokens/.../jsapi-ticket}) and ready-made {@code wx.config} / {@code wx.agentConfig} signatures
 * ({@code POST /v1/jssdk/.../signature}). The refresh engine keeps the tickets; this module only serves and signs.
 */
package dev.tokencenter.jssdk;
