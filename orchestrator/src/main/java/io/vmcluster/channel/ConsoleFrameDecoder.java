package io.vmcluster.channel;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the raw byte stream of the hvc0 console into replies and noise.
 *
 * <p>The stream is split into lines at LF; every CR is dropped (the tty may turn LF into CRLF).
 * A reply produced by {@link GuestScript} in {@link GuestScript.Emit#FRAMED} mode looks like
 *
 * <pre>
 * VMC-BEGIN &lt;token&gt; &lt;exit&gt; &lt;timedOut 0|1&gt; &lt;stdout bytes&gt; &lt;stderr bytes&gt;
 * base64 of stdout, any number of lines
 * VMC-SEP &lt;token&gt;
 * base64 of stderr
 * VMC-END &lt;token&gt;
 * </pre>
 *
 * and a sync answer is one line {@code VMC-SYNC <token>}. Everything else (stale output from
 * before we connected, prompts, kernel messages, the shell's complaints) is noise, handed to the
 * noise listener line by line. A header may follow noise on the same line (a prompt without a
 * newline), so markers are searched anywhere in a line; the user's output cannot fake them
 * because it travels base64 encoded. Decoded lengths are checked against the header, so a frame
 * garbled by interleaved output is reported, not silently returned.
 *
 * <p>Not thread-safe: one reader thread feeds it.
 */
final class ConsoleFrameDecoder {
    /** A noise line longer than this is handed out in pieces (a cap, as in netty's decoders). */
    static final int MAX_LINE = 16 * 1024;

    private static final Pattern BEGIN = Pattern.compile("VMC-BEGIN ([0-9a-f]{16}) (\\d+) ([01]) (\\d+) (\\d+)");
    private static final Pattern SYNC = Pattern.compile("VMC-SYNC ([0-9a-f]{16})");
    private static final Pattern BASE64_LINE = Pattern.compile("[A-Za-z0-9+/=]*");

    /** A decoded reply. */
    sealed interface Frame permits Reply, Sync, Garbled {}

    /** A complete reply to the command with this token. */
    record Reply(String token, int exitCode, boolean timedOut, byte[] stdout, byte[] stderr) implements Frame {}

    /** The answer to a sync probe. */
    record Sync(String token) implements Frame {}

    /** A reply whose content did not survive the trip (lengths differ, bad base64). */
    record Garbled(String token, String problem) implements Frame {}

    private enum State {
        OUTSIDE,
        STDOUT,
        STDERR
    }

    private final Consumer<Frame> frames;
    private final Consumer<String> noise;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

    private State state = State.OUTSIDE;
    private String token;
    private int exitCode;
    private boolean timedOut;
    private long stdoutLength;
    private long stderrLength;
    private final StringBuilder stdout64 = new StringBuilder();
    private final StringBuilder stderr64 = new StringBuilder();

    ConsoleFrameDecoder(Consumer<Frame> frames, Consumer<String> noise) {
        this.frames = frames;
        this.noise = noise;
    }

    /** Feeds bytes as they arrive; any split is fine. */
    void feed(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                endOfLine();
            } else if (b != '\r') {
                line.write(b);
                if (line.size() >= MAX_LINE && state == State.OUTSIDE) {
                    // Too long for a marker line: hand it out so memory stays bounded.
                    noise.accept(takeLine());
                }
            }
        }
    }

    /** True while a reply has started but not ended. */
    boolean insideFrame() {
        return state != State.OUTSIDE;
    }

    private String takeLine() {
        String s = line.toString(StandardCharsets.UTF_8);
        line.reset();
        return s;
    }

    private void endOfLine() {
        String s = takeLine();
        switch (state) {
            case OUTSIDE -> outside(s);
            case STDOUT -> inside(s, stdout64, "VMC-SEP " + token, State.STDERR);
            case STDERR -> inside(s, stderr64, "VMC-END " + token, State.OUTSIDE);
        }
    }

    private void outside(String s) {
        Matcher begin = BEGIN.matcher(s);
        if (begin.find()) {
            noiseIfAny(s.substring(0, begin.start()));
            token = begin.group(1);
            exitCode = Integer.parseInt(begin.group(2));
            timedOut = begin.group(3).equals("1");
            stdoutLength = Long.parseLong(begin.group(4));
            stderrLength = Long.parseLong(begin.group(5));
            stdout64.setLength(0);
            stderr64.setLength(0);
            state = State.STDOUT;
            return;
        }
        Matcher sync = SYNC.matcher(s);
        if (sync.find()) {
            noiseIfAny(s.substring(0, sync.start()));
            frames.accept(new Sync(sync.group(1)));
            return;
        }
        noise.accept(s);
    }

    private void inside(String s, StringBuilder target, String endMarker, State next) {
        int at = s.indexOf(endMarker);
        if (at >= 0) {
            String before = s.substring(0, at);
            if (!before.isEmpty()) {
                // Base64 directly before the marker would mean a missing newline: keep it if valid.
                appendOrNoise(before, target);
            }
            state = next;
            if (next == State.OUTSIDE) {
                finish();
            }
            return;
        }
        Matcher restart = BEGIN.matcher(s);
        if (restart.find()) {
            // A new reply started before this one ended: this one was cut off.
            frames.accept(new Garbled(token, "reply cut off by the start of another reply"));
            state = State.OUTSIDE;
            outside(s);
            return;
        }
        appendOrNoise(s, target);
    }

    private void appendOrNoise(String s, StringBuilder target) {
        if (BASE64_LINE.matcher(s).matches()) {
            target.append(s);
        } else {
            noise.accept(s);
        }
    }

    private void finish() {
        byte[] out;
        byte[] err;
        try {
            out = Base64.getDecoder().decode(stdout64.toString());
            err = Base64.getDecoder().decode(stderr64.toString());
        } catch (IllegalArgumentException e) {
            frames.accept(new Garbled(token, "bad base64: " + e.getMessage()));
            return;
        }
        if (out.length != stdoutLength || err.length != stderrLength) {
            frames.accept(new Garbled(
                    token,
                    "decoded " + out.length + "/" + err.length + " bytes of stdout/stderr, the guest sent "
                            + stdoutLength + "/" + stderrLength
                            + " (output interleaved with other console traffic?)"));
            return;
        }
        frames.accept(new Reply(token, exitCode, timedOut, out, err));
    }

    private void noiseIfAny(String s) {
        if (!s.isBlank()) {
            noise.accept(s);
        }
    }
}
