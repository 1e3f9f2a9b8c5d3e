package dev.tokencenter.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Requests no HTTP client library would send, written byte for byte on a socket: raw non-ASCII and control
 * characters in the path, bad escapes, broken lengths and chunking, oversized request lines and headers.
 */
final class RawRequests {

    record RawAnswer(String label, int status, String text) {
    }

    private RawRequests() {
    }

    static List<RawAnswer> send(int port, AdminSession session) throws IOException {
        String admin = session.cookieHeader();
        Map<String, String> requests = new LinkedHashMap<>();
        requests.put("raw UTF-8 in the path", "GET /admin/api/tenants/\u540d\u5b57 HTTP/1.1\r\nHost: x\r\n" + admin + "\r\n");
        requests.put("a space in the path", "GET /v1/tokens/a b/c/d HTTP/1.1\r\nHost: x\r\n\r\n");
        requests.put("a bad percent escape", "GET /admin/api/tenants/%zz HTTP/1.1\r\nHost: x\r\n" + admin + "\r\n");
        requests.put("a control character in the path", "GET /admin/api/tenants/a\u0001b HTTP/1.1\r\nHost: x\r\n" + admin + "\r\n");
        requests.put("a negative Content-Length", "POST /admin/api/tenants HTTP/1.1\r\nHost: x\r\n" + admin
                + "Content-Type: application/json\r\nContent-Length: -1\r\n\r\n{}");
        requests.put("a Content-Length that is not a number", "POST /admin/api/tenants HTTP/1.1\r\nHost: x\r\n" + admin
                + "Content-Type: application/json\r\nContent-Length: ten\r\n\r\n{}");
        requests.put("a broken chunk size", "POST /admin/api/tenants HTTP/1.1\r\nHost: x\r\n" + admin
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
        requests.put("both Content-Length and chunked", "POST /cgi-bin/stable_token HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
        requests.put("a 10 KiB request line", "GET /admin/api/tenants/" + "a".repeat(10 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        requests.put("a 20 KiB header", "GET /v1/tokens/a/b/c HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + "A".repeat(20 * 1024) + "\r\n\r\n");
        requests.put("an absolute-form target", "GET http://elsewhere.example/admin/api/tenants HTTP/1.1\r\nHost: x\r\n" + admin + "\r\n");
        requests.put("HTTP/1.0 without Host", "GET /v1/tokens/a/b/c HTTP/1.0\r\n\r\n");
        requests.put("an unknown method", "BREW /admin/api/tenants HTTP/1.1\r\nHost: x\r\n" + admin + "\r\n");
        requests.put("not HTTP at all", "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003\r\n\r\n");
        List<RawAnswer> answers = new ArrayList<>();
        for (Map.Entry<String, String> request : requests.entrySet()) {
            answers.add(exchange(port, request.getKey(), request.getValue()));
        }
        return answers;
    }

    private static RawAnswer exchange(int port, String label, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            String text = readAnswer(socket.getInputStream());
            int status = text.startsWith("HTTP/1.") && text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : 0;
            return new RawAnswer(label, status, text);
        }
    }

    /** Up to 64 KiB of the answer: until the peer closes, or a little after the first bytes when it keeps the line open. */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int read;
            while (out.size() < 64 * 1024 && (read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                if (out.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                    break;
                }
            }
            Thread.sleep(50);
            while (in.available() > 0 && (read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
            }
        } catch (SocketTimeoutException | InterruptedException e) {
            // no (further) answer: what arrived is the answer
        } catch (IOException e) {
            // reset by the server: it refused the request
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
