package io.vmcluster.workload;

import io.vmcluster.time.Deadline;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Reads a TCP reply under one deadline: every blocking read gets what is left of it as its socket
 * timeout, so a server that trickles bytes cannot stretch an operation past its bound. Replies are
 * capped at {@value #MAX_BYTES} bytes.
 */
final class Wire {
    static final int MAX_BYTES = 4 << 20;

    private final Socket socket;
    private final InputStream in;
    private final Deadline deadline;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int len;
    private long total;

    Wire(Socket socket, Deadline deadline) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.deadline = deadline;
    }

    /** Fills the buffer; false at end of stream. */
    private boolean fill() throws IOException {
        long ms = deadline.remaining().toMillis();
        if (ms <= 0) {
            throw new SocketTimeoutException("no complete reply within the operation's bound");
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, ms));
        int n = in.read(buf);
        if (n < 0) {
            return false;
        }
        total += n;
        if (total > MAX_BYTES) {
            throw new IOException("the reply is over " + MAX_BYTES + " bytes");
        }
        pos = 0;
        len = n;
        return true;
    }

    /** One byte, or -1 at end of stream. */
    int read() throws IOException {
        if (pos == len && !fill()) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    /** A line without its CRLF or LF; null at end of stream before any byte. */
    String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = read()) >= 0) {
            if (b == '\n') {
                break;
            }
            line.write(b);
        }
        if (b < 0 && line.size() == 0) {
            return null;
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** Exactly {@code n} bytes. */
    byte[] exactly(long n) throws IOException {
        if (n > MAX_BYTES) {
            throw new IOException("the reply announces " + n + " bytes, over " + MAX_BYTES);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) n);
        for (long i = 0; i < n; i++) {
            int b = read();
            if (b < 0) {
                throw new IOException("the connection closed after " + i + " of " + n + " bytes");
            }
            out.write(b);
        }
        return out.toByteArray();
    }

    /** Everything up to the end of the stream, or up to and including {@code until} when given. */
    byte[] upTo(byte[] until) throws IOException {
        Bytes out = new Bytes();
        int b;
        while ((b = read()) >= 0) {
            out.write(b);
            if (until != null && out.endsWith(until)) {
                return out.toByteArray();
            }
        }
        if (until != null) {
            throw new IOException("the connection closed before '" + new String(until, StandardCharsets.UTF_8)
                    + "' arrived (got " + out.size() + " bytes)");
        }
        return out.toByteArray();
    }

    /** A byte buffer that can look at its own tail without copying. */
    private static final class Bytes extends ByteArrayOutputStream {
        boolean endsWith(byte[] tail) {
            if (count < tail.length) return false;
            for (int i = 0; i < tail.length; i++) {
                if (buf[count - tail.length + i] != tail[i]) return false;
            }
            return true;
        }
    }
}
