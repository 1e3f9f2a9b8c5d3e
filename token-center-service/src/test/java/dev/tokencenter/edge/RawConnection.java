package dev.tokencenter.edge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One keep-alive HTTP/1.1 connection over a plain socket: requests exactly as written, answers exactly as sent. */
final class RawConnection implements AutoCloseable {

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)\r\n");

    private final Socket socket = new Socket();
    private final InputStream in;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    RawConnection(int port) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
    }

    /** Writes {@code request} and reads the whole answer (which must have a Content-Length). */
    String exchange(String request) throws IOException {
        send(request);
        return next();
    }

    void send(String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    /** The next complete answer on the connection: status line, headers and body, as text. */
    String next() throws IOException {
        byte[] chunk = new byte[8192];
        while (true) {
            String buffered = pending.toString(StandardCharsets.ISO_8859_1);
            int headersEnd = buffered.indexOf("\r\n\r\n");
            if (headersEnd >= 0) {
                Matcher length = CONTENT_LENGTH.matcher(buffered.substring(0, headersEnd + 2));
                if (!length.find()) {
                    throw new IllegalStateException("no Content-Length in " + buffered.substring(0, headersEnd));
                }
                int end = headersEnd + 4 + Integer.parseInt(length.group(1));
                if (buffered.length() >= end) {
                    pending.reset();
                    pending.write(buffered.substring(end).getBytes(StandardCharsets.ISO_8859_1));
                    return new String(buffered.substring(0, end).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
                }
            }
            int read = in.read(chunk);
            if (read < 0) {
                throw new IOException("connection closed after " + buffered);
            }
            pending.write(chunk, 0, read);
        }
    }

    static String get(String target, String... headers) {
        return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + String.join("", lines(headers)) + "\r\n";
    }

    static String postJson(String target, String json) {
        return "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                + json.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + json;
    }

    private static String[] lines(String... headers) {
        String[] lines = new String[headers.length];
        for (int i = 0; i < headers.length; i++) {
            lines[i] = headers[i] + "\r\n";
        }
        return lines;
    }

    static int status(String answer) {
        return Integer.parseInt(answer.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
