package io.vmcluster.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The control protocol of a live cluster: over its Unix socket, one request as one line of JSON
 * ({@code {"op": "exec", ...}}), then one reply line ({@code {"ok": true, ...}} or
 * {@code {"ok": false, "code": 2, "error": "..."}}, code being the exit code the client should
 * end with). A request may turn the connection into a byte stream after its reply (a shell).
 */
public final class Control {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The longest request or reply line read (exec output travels base64 in a reply). */
    static final int MAX_LINE = 64 << 20;

    private Control() {}

    public static ObjectNode request(String op) {
        return JSON.createObjectNode().put("op", op);
    }

    public static ObjectNode ok() {
        return JSON.createObjectNode().put("ok", true);
    }

    public static ObjectNode error(int code, String message) {
        return JSON.createObjectNode().put("ok", false).put("code", code).put("error", message);
    }

    /** Connects to a control socket. */
    public static SocketChannel connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    /** Sends one request and reads its reply; the connection stays open (for a stream after it). */
    public static JsonNode call(SocketChannel ch, JsonNode request) throws IOException {
        writeLine(ch, request);
        return readLine(ch);
    }

    /** One request on its own connection. */
    public static JsonNode call(Path socket, JsonNode request) throws IOException {
        try (SocketChannel ch = connect(socket)) {
            return call(ch, request);
        }
    }

    static void writeLine(SocketChannel ch, JsonNode message) throws IOException {
        byte[] body = JSON.writeValueAsBytes(message);
        ByteBuffer b =
                ByteBuffer.allocate(body.length + 1).put(body).put((byte) '\n').flip();
        while (b.hasRemaining()) ch.write(b);
    }

    /** Reads one line byte by byte (nothing after the newline is consumed: a stream may follow). */
    static JsonNode readLine(SocketChannel ch) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            one.clear();
            int n = ch.read(one);
            if (n < 0) {
                if (line.size() == 0) throw new java.io.EOFException("the other side closed the connection");
                break;
            }
            if (n == 0) continue;
            byte c = one.get(0);
            if (c == '\n') break;
            if (line.size() >= MAX_LINE) throw new IOException("a control line longer than " + MAX_LINE + " bytes");
            line.write(c);
        }
        return JSON.readTree(line.toString(StandardCharsets.UTF_8));
    }
}
