package io.vmcluster.channel;

import io.vmcluster.channel.ConsoleFrameDecoder.Chunk;
import io.vmcluster.channel.ConsoleFrameDecoder.End;
import io.vmcluster.channel.ConsoleFrameDecoder.Frame;
import io.vmcluster.channel.ConsoleFrameDecoder.Garbled;
import io.vmcluster.channel.ConsoleFrameDecoder.Header;
import java.io.ByteArrayOutputStream;

/**
 * Puts one command's reply together from the frames carrying its token, and says what to answer
 * the guest after each chunk: {@code k} (got it, next) or {@code r} (damaged, send it again).
 * Frames of other tokens (stale replies to abandoned commands) are ignored.
 */
final class ConsoleReplyAssembler {
    /** What the host must answer, if anything. */
    enum Ack {
        NONE(null),
        NEXT("k\n"),
        RESEND("r\n");

        final String line;

        Ack(String line) {
            this.line = line;
        }
    }

    /** The assembled reply. */
    record Reply(int exitCode, boolean timedOut, byte[] stdout, byte[] stderr) {}

    /** The reply cannot be put together; the channel must re-sync. */
    static final class ProtocolException extends RuntimeException {
        ProtocolException(String message) {
            super(message);
        }
    }

    /** Resends of one chunk before giving up: damage is rare, repeated damage is a broken link. */
    static final int MAX_RESENDS = 3;

    private final String token;
    private Header header;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private int nextOut;
    private int nextErr;
    private int resends;
    private Reply reply;

    ConsoleReplyAssembler(String token) {
        this.token = token;
    }

    /** Takes the next frame; returns the answer to send the guest. */
    Ack accept(Frame frame) {
        if (!frame.token().equals(token)) {
            return Ack.NONE;
        }
        if (frame instanceof Header h) {
            header = h;
            return Ack.NONE;
        }
        if (header == null) {
            throw new ProtocolException("got " + frame + " before the reply header (the header was lost)");
        }
        if (frame instanceof Chunk c) {
            return chunk(c);
        }
        if (frame instanceof Garbled g) {
            // The chunk's end marker never came: the guest is waiting for an answer to it.
            return resend("chunk damaged: " + g.problem());
        }
        if (frame instanceof End) {
            if (stdout.size() != header.stdoutLength() || stderr.size() != header.stderrLength()) {
                throw new ProtocolException("reply ended with " + stdout.size() + "/" + stderr.size()
                        + " bytes of stdout/stderr, the guest announced " + header.stdoutLength() + "/"
                        + header.stderrLength());
            }
            reply = new Reply(header.exitCode(), header.timedOut(), stdout.toByteArray(), stderr.toByteArray());
        }
        return Ack.NONE;
    }

    /** True once the header has arrived: the command is done and its output is on its way. */
    boolean started() {
        return header != null;
    }

    /** The reply once its end marker has been seen, else null. */
    Reply reply() {
        return reply;
    }

    private Ack chunk(Chunk c) {
        boolean out = c.stream() == 'o';
        int expectedIndex = out ? nextOut : nextErr;
        long total = out ? header.stdoutLength() : header.stderrLength();
        ByteArrayOutputStream target = out ? stdout : stderr;
        if (c.index() != expectedIndex) {
            throw new ProtocolException(
                    "got chunk " + c.stream() + c.index() + ", expected " + c.stream() + expectedIndex);
        }
        long expectedLength = Math.min(GuestScript.CHUNK, total - (long) expectedIndex * GuestScript.CHUNK);
        if (c.data() == null || c.data().length != expectedLength) {
            return resend("chunk " + c.stream() + c.index() + " has "
                    + (c.data() == null ? "bad base64" : c.data().length + " bytes") + ", expected " + expectedLength);
        }
        target.writeBytes(c.data());
        if (out) {
            nextOut++;
        } else {
            nextErr++;
        }
        resends = 0;
        return Ack.NEXT;
    }

    private Ack resend(String why) {
        if (++resends > MAX_RESENDS) {
            throw new ProtocolException(why + " (after " + MAX_RESENDS + " resends)");
        }
        return Ack.RESEND;
    }
}
