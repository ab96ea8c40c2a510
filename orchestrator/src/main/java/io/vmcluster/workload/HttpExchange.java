package io.vmcluster.workload;

import io.vmcluster.time.Deadline;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request and its response on a connected socket ({@code Connection: close}): the
 * smallest client that does what a workload needs, on sockets the {@link WorkloadTarget} made (inside
 * the cluster's namespace), with one deadline for the whole exchange. The response body is read by
 * {@code Content-Length}, chunked transfer coding, or to the end of the stream.
 */
final class HttpExchange {
    /** A response: its status and body (as UTF-8 text). */
    record Response(int status, String body) {}

    private HttpExchange() {}

    /** Writes the request; an IOException from here on means the request may have arrived. */
    static void send(
            Socket socket, InetSocketAddress to, String method, String path, Map<String, String> headers, String body)
            throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(256);
        head.append(method).append(' ').append(path.isEmpty() ? "/" : path).append(" HTTP/1.1\r\n");
        head.append("Host: ")
                .append(to.getAddress().getHostAddress())
                .append(':')
                .append(to.getPort())
                .append("\r\n");
        boolean contentType = false;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
            contentType |= h.getKey().equalsIgnoreCase("content-type");
        }
        if (body != null) {
            if (!contentType) {
                head.append("Content-Type: application/x-www-form-urlencoded\r\n");
            }
            head.append("Content-Length: ").append(content.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = java.util.Arrays.copyOf(h, h.length + content.length);
        System.arraycopy(content, 0, request, h.length, content.length);
        OutputStream out = socket.getOutputStream();
        out.write(request); // one write: one segment for a small request
        out.flush();
    }

    /** Reads the response (skipping 1xx interim responses). */
    static Response receive(Socket socket, Deadline deadline) throws IOException {
        Wire wire = new Wire(socket, deadline);
        while (true) {
            String status = wire.line();
            if (status == null) {
                throw new IOException("the connection closed before a response");
            }
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IOException("not an HTTP status line: '" + status + "'");
            }
            int code;
            try {
                code = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IOException("not an HTTP status line: '" + status + "'");
            }
            long length = -1;
            boolean chunked = false;
            String line;
            while ((line = wire.line()) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                if (colon <= 0) continue;
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                if (name.equals("content-length")) {
                    try {
                        length = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new IOException("bad Content-Length '" + value + "'");
                    }
                } else if (name.equals("transfer-encoding")
                        && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                    chunked = true;
                }
            }
            if (code >= 100 && code < 200) {
                continue;
            }
            byte[] body;
            if (chunked) {
                body = chunks(wire);
            } else if (length >= 0) {
                body = wire.exactly(length);
            } else {
                body = wire.upTo(null);
            }
            return new Response(code, new String(body, StandardCharsets.UTF_8));
        }
    }

    private static byte[] chunks(Wire wire) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while (true) {
            String size = wire.line();
            if (size == null) throw new IOException("the connection closed inside a chunked body");
            int semi = size.indexOf(';');
            long n;
            try {
                n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size '" + size + "'");
            }
            if (n == 0) {
                String trailer;
                while ((trailer = wire.line()) != null && !trailer.isEmpty()) {
                    // trailers are ignored
                }
                return out.toByteArray();
            }
            out.write(wire.exactly(n));
            wire.line(); // the CRLF after the chunk
            if (out.size() > Wire.MAX_BYTES) throw new IOException("the reply is over " + Wire.MAX_BYTES + " bytes");
        }
    }
}
