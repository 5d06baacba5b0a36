package dev.portcullis.ops;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, one request per connection, for requests the JDK client will not send: a request
 * line with raw bytes, invalid percent-encoding, or a body that contradicts its headers. Returns the status code
 * of the answer's status line and the rest of the answer, or -1 when none came.
 */
final class RawHttp {

    record Answer(int status, String text) {
    }

    private RawHttp() {
    }

    static Answer send(int port, byte[] request) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0 && answer.size() < 1_000_000; ) {
                answer.write(buffer, 0, n);
            }
            String text = answer.toString(StandardCharsets.ISO_8859_1);
            if (!text.startsWith("HTTP/1.")) {
                return new Answer(-1, text);
            }
            return new Answer(Integer.parseInt(text.substring(9, 12)), text);
        } catch (IOException | RuntimeException e) {
            return new Answer(-1, e.toString());
        }
    }

    /** A request with {@code target} written as it is (no encoding), Host and Connection: close added. */
    static byte[] request(String method, String target, String contentType, byte[] body, java.util.Map<String, String> headers) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: close\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        byte[] payload = body == null ? new byte[0] : body;
        head.append("Content-Length: ").append(payload.length).append("\r\n\r\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        bytes.write(headBytes, 0, headBytes.length);
        bytes.write(payload, 0, payload.length);
        return bytes.toByteArray();
    }
}
