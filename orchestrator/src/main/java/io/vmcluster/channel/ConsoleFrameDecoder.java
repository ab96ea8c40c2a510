package io.vmcluster.channel;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the raw byte stream of the hvc0 console into protocol frames and noise.
 *
 * <p>The stream is split into lines at LF; every CR is dropped (the tty may turn LF into CRLF).
 * The console's wrapper ({@link ConsoleScript}) answers a command with
 *
 * <pre>
 * VMC-BEGIN &lt;token&gt; &lt;exit&gt; &lt;timedOut 0|1&gt; &lt;stdout bytes&gt; &lt;stderr bytes&gt;
 * VMC-CHUNK &lt;token&gt; &lt;o|e&gt; &lt;index&gt;      (one per {@link GuestScript#CHUNK} bytes; the host acks each)
 * base64 lines
 * VMC-CHUNK-END &lt;token&gt;
 * ...
 * VMC-END &lt;token&gt;
 * </pre>
 *
 * and a sync probe with the line {@code VMC-SYNC <token>}. Everything else (stale output from
 * before we connected, prompts, the shell's complaints) is noise, handed to the noise listener
 * line by line. Markers are searched anywhere in a line (a prompt without a newline may precede
 * one); the command's own output cannot fake them because it travels base64 encoded.
 *
 * <p>Not thread-safe: one reader thread feeds it.
 */
final class ConsoleFrameDecoder {
    /** A noise line longer than this is handed out in pieces (a cap, as in netty's decoders). */
    static final int MAX_LINE = 16 * 1024;
    /** A chunk's base64 text may not exceed this (a chunk is {@link GuestScript#CHUNK} bytes). */
    static final int MAX_CHUNK_TEXT = GuestScript.CHUNK * 2;

    private static final Pattern BEGIN = Pattern.compile("VMC-BEGIN ([0-9a-f]{16}) (\\d+) ([01]) (\\d+) (\\d+)");
    private static final Pattern CHUNK = Pattern.compile("VMC-CHUNK ([0-9a-f]{16}) ([oe]) (\\d+)");
    private static final Pattern CHUNK_END = Pattern.compile("VMC-CHUNK-END ([0-9a-f]{16})");
    private static final Pattern END = Pattern.compile("VMC-END ([0-9a-f]{16})");
    private static final Pattern SYNC = Pattern.compile("VMC-SYNC ([0-9a-f]{16})");
    private static final Pattern BASE64_LINE = Pattern.compile("[A-Za-z0-9+/=]+");

    /** A decoded protocol element. */
    sealed interface Frame permits Sync, Header, Chunk, End, Garbled {
        String token();
    }

    /** The answer to a sync probe. */
    record Sync(String token) implements Frame {}

    /** The start of a command's reply. */
    record Header(String token, int exitCode, boolean timedOut, long stdoutLength, long stderrLength)
            implements Frame {}

    /**
     * One chunk of stdout ({@code 'o'}) or stderr ({@code 'e'}); {@code data} is null when its
     * base64 did not decode (a damaged chunk: ask for it again).
     */
    record Chunk(String token, char stream, int index, byte[] data) implements Frame {}

    /** The end of a command's reply. */
    record End(String token) implements Frame {}

    /** A chunk that never ended (cut off by another marker). */
    record Garbled(String token, String problem) implements Frame {}

    private final Consumer<Frame> frames;
    private final Consumer<String> noise;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final StringBuilder chunkText = new StringBuilder();
    private Matcher chunk; // the open chunk's header, or null

    ConsoleFrameDecoder(Consumer<Frame> frames, Consumer<String> noise) {
        this.frames = frames;
        this.noise = noise;
    }

    /** Feeds bytes as they arrive; any split is fine. */
    void feed(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                endOfLine(takeLine());
            } else if (b != '\r') {
                line.write(b);
                if (line.size() >= MAX_LINE) {
                    // Longer than any protocol line (base64 lines are 76): noise, memory stays bounded.
                    noise.accept(takeLine());
                }
            }
        }
    }

    /** True while a chunk has started but not ended. */
    boolean insideChunk() {
        return chunk != null;
    }

    private String takeLine() {
        String s = line.toString(StandardCharsets.UTF_8);
        line.reset();
        return s;
    }

    private void endOfLine(String s) {
        if (chunk != null) {
            Matcher end = CHUNK_END.matcher(s);
            if (end.find() && end.group(1).equals(chunk.group(1))) {
                appendOrNoise(s.substring(0, end.start()));
                finishChunk();
                noiseIfAny(s.substring(end.end()));
                return;
            }
            if (s.contains("VMC-")) {
                if (BEGIN.matcher(s).find()
                        || CHUNK.matcher(s).find()
                        || END.matcher(s).find()) {
                    frames.accept(new Garbled(
                            chunk.group(1), "chunk " + chunk.group(2) + chunk.group(3) + " cut off by another marker"));
                    chunk = null;
                    chunkText.setLength(0);
                    outside(s);
                    return;
                }
            }
            appendOrNoise(s);
            if (chunkText.length() > MAX_CHUNK_TEXT) {
                frames.accept(new Garbled(chunk.group(1), "chunk longer than " + MAX_CHUNK_TEXT + " characters"));
                chunk = null;
                chunkText.setLength(0);
            }
            return;
        }
        outside(s);
    }

    private void outside(String s) {
        Matcher m = CHUNK.matcher(s);
        if (m.find()) {
            noiseIfAny(s.substring(0, m.start()));
            chunk = m;
            chunkText.setLength(0);
            return;
        }
        m = BEGIN.matcher(s);
        if (m.find()) {
            noiseIfAny(s.substring(0, m.start()));
            frames.accept(new Header(
                    m.group(1),
                    Integer.parseInt(m.group(2)),
                    m.group(3).equals("1"),
                    Long.parseLong(m.group(4)),
                    Long.parseLong(m.group(5))));
            return;
        }
        m = END.matcher(s);
        if (m.find()) {
            noiseIfAny(s.substring(0, m.start()));
            frames.accept(new End(m.group(1)));
            return;
        }
        m = SYNC.matcher(s);
        if (m.find()) {
            noiseIfAny(s.substring(0, m.start()));
            frames.accept(new Sync(m.group(1)));
            return;
        }
        noiseIfAny(s);
    }

    private void appendOrNoise(String s) {
        if (BASE64_LINE.matcher(s).matches()) {
            chunkText.append(s);
        } else {
            noiseIfAny(s);
        }
    }

    private void finishChunk() {
        byte[] data;
        try {
            data = Base64.getDecoder().decode(chunkText.toString());
        } catch (IllegalArgumentException e) {
            data = null;
        }
        frames.accept(new Chunk(chunk.group(1), chunk.group(2).charAt(0), Integer.parseInt(chunk.group(3)), data));
        chunk = null;
        chunkText.setLength(0);
    }

    private void noiseIfAny(String s) {
        if (!s.isBlank()) {
            noise.accept(s);
        }
    }
}
