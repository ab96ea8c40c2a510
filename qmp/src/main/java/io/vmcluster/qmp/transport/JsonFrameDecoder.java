package io.vmcluster.qmp.transport;

import java.util.Arrays;

/**
 * Splits a byte stream into top-level JSON objects, the framing QMP and the guest agent use.
 *
 * <p>Handles an object split across any number of reads (down to one byte at a time), several
 * objects in one read, CR/LF and other whitespace between objects. Bytes outside an object that
 * are not whitespace are skipped and counted as garbage. The byte {@code 0xFF} (never part of
 * UTF-8 JSON) is the guest agent's resynchronisation delimiter: it drops any half-read object and
 * is reported to the sink. An object larger than the cap raises {@link FrameTooLongException}.
 *
 * <p>Not thread-safe: one reader feeds it.
 */
public final class JsonFrameDecoder {
    /** The guest agent's resynchronisation byte. */
    public static final int DELIMITER = 0xFF;

    /** Receives what the decoder found. */
    public interface Sink {
        /** One complete JSON object; the bytes are only valid during the call. */
        void frame(byte[] bytes, int offset, int length);

        /** A {@code 0xFF} delimiter; {@code droppedBytes} of a half-read object were discarded. */
        default void delimiter(int droppedBytes) {}

        /** Non-whitespace bytes found outside any object and skipped. */
        default void garbage(int skippedBytes) {}
    }

    private final int maxFrameBytes;
    private byte[] pending = new byte[4096];
    private int pendingLength;
    private int depth;
    private boolean inString;
    private boolean escaped;

    /** A decoder that refuses objects longer than {@code maxFrameBytes}. */
    public JsonFrameDecoder(int maxFrameBytes) {
        if (maxFrameBytes < 2) {
            throw new IllegalArgumentException("maxFrameBytes must be at least 2, got " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    /** Forgets any half-read object. */
    public void reset() {
        pendingLength = 0;
        depth = 0;
        inString = false;
        escaped = false;
        if (pending.length > 64 * 1024) {
            pending = new byte[4096];
        }
    }

    /** Feeds {@code length} bytes; calls the sink for everything complete in them. */
    public void feed(byte[] data, int offset, int length, Sink sink) throws FrameTooLongException {
        int end = offset + length;
        int objectStart = depth > 0 ? offset : -1; // where the current object starts in data
        int garbage = 0;
        for (int i = offset; i < end; i++) {
            int b = data[i] & 0xFF;
            if (b == DELIMITER) {
                int dropped = depth > 0 ? pendingLength + (i - objectStart) : 0;
                if (garbage > 0) {
                    sink.garbage(garbage);
                    garbage = 0;
                }
                reset();
                objectStart = -1;
                sink.delimiter(dropped);
                continue;
            }
            if (depth == 0) {
                if (b == '{') {
                    depth = 1;
                    objectStart = i;
                } else if (!(b == ' ' || b == '\r' || b == '\n' || b == '\t')) {
                    garbage++;
                }
                continue;
            }
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                depth++;
            } else if (b == '}' || b == ']') {
                depth--;
            }
            int objectLength = pendingLength + (i - objectStart + 1);
            if (objectLength > maxFrameBytes) {
                reset();
                throw new FrameTooLongException(maxFrameBytes);
            }
            if (depth == 0) {
                if (pendingLength == 0) {
                    sink.frame(data, objectStart, i - objectStart + 1);
                } else {
                    append(data, objectStart, i - objectStart + 1);
                    sink.frame(pending, 0, pendingLength);
                    pendingLength = 0;
                }
                objectStart = -1;
            }
        }
        if (garbage > 0) {
            sink.garbage(garbage);
        }
        if (depth > 0) {
            append(data, objectStart, end - objectStart);
        }
    }

    private void append(byte[] data, int from, int count) {
        if (pendingLength + count > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + count));
        }
        System.arraycopy(data, from, pending, pendingLength, count);
        pendingLength += count;
    }
}
