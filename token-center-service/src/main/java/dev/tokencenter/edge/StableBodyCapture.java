package dev.tokencenter.edge;

import dev.tokencenter.compat.WarmCompatReads;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;

/**
 * Hands a small {@code POST /cgi-bin/stable_token} body that arrived together with its request head to
 * {@link WarmReadRoute} before the request reaches Reactor Netty: the head is held back until the body that follows
 * it in the same read, the body is copied to a channel attribute, and both go on unchanged. The route then answers
 * without subscribing to the request body, which costs two {@code epoll_ctl} calls per request (Reactor Netty
 * switches the channel's auto-read off and on around a body subscription), as much as the rest of the answer. A body
 * that does not arrive in the same read (or anything else) goes on at once, untouched, and the route reads it as
 * before. The attribute lives only while the head is passed on: a request handled later (pipelined behind another)
 * never sees a body that is not its own. One per connection, between the HTTP codec and Reactor Netty.
 */
final class StableBodyCapture extends ChannelInboundHandlerAdapter {

    static final String NAME = "token-center.stable-body-capture";
    private static final AttributeKey<byte[]> BODY = AttributeKey.valueOf("token-center.stable-token-body");

    private HttpRequest held;

    /** The body captured for the request being handed on on this channel, if any; null otherwise. */
    static byte[] captured(Channel channel) {
        return channel.attr(BODY).get();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (held != null) {
            HttpRequest head = held;
            held = null;
            byte[] body = msg instanceof LastHttpContent last && last.trailingHeaders().isEmpty()
                    && last.content().readableBytes() == declaredLength(head) ? ByteBufUtil.getBytes(last.content()) : null;
            passOn(ctx, head, body);
            ctx.fireChannelRead(msg);
            return;
        }
        if (msg instanceof HttpRequest request && !(msg instanceof FullHttpRequest) && worthHolding(request)) {
            held = request;
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** The read ended without the body: the head goes on alone, as it came. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        releaseHeld(ctx);
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releaseHeld(ctx);
        super.channelInactive(ctx);
    }

    private void releaseHeld(ChannelHandlerContext ctx) {
        if (held != null) {
            HttpRequest head = held;
            held = null;
            ctx.fireChannelRead(head);
        }
    }

    private static void passOn(ChannelHandlerContext ctx, HttpRequest head, byte[] body) {
        if (body == null) {
            ctx.fireChannelRead(head);
            return;
        }
        ctx.channel().attr(BODY).set(body);
        try {
            ctx.fireChannelRead(head);
        } finally {
            ctx.channel().attr(BODY).set(null);
        }
    }

    private static boolean worthHolding(HttpRequest request) {
        if (!HttpMethod.POST.equals(request.method()) || !WarmReadRoute.STABLE_TOKEN.equals(request.uri())
                || request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)
                || request.headers().contains(HttpHeaderNames.EXPECT)) {
            return false;
        }
        int length = declaredLength(request);
        return length > 0 && length <= WarmCompatReads.MAX_BODY;
    }

    private static int declaredLength(HttpRequest request) {
        String length = request.headers().get(HttpHeaderNames.CONTENT_LENGTH);
        try {
            return length == null ? -1 : Integer.parseInt(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
