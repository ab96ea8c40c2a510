package io.vmcluster.history;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code history.jsonl} as a stream: bytes are fed in pieces of any size (split anywhere,
 * even inside a UTF-8 character), each complete line is parsed and checked as it arrives, and the
 * first line that does not parse or breaks a rule of {@link History} stops the read with a {@link
 * HistoryFormatException} naming its line number.
 *
 * <p>Empty lines are skipped. A last line without its newline that does not parse is what a run
 * killed while writing leaves behind: it is dropped with a warning (in {@link History#warnings()}),
 * not an error. A line longer than {@value #MAX_LINE} bytes is an error.
 */
public final class HistoryReader {
    /** The longest line accepted, in bytes. */
    public static final int MAX_LINE = 4 << 20;

    private final String source;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final History.Pairing rules = new History.Pairing();
    private final List<HistoryEntry> entries = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private long lineNumber = 1;
    private boolean finished;

    /** @param source the name used in messages, e.g. the file's path */
    public HistoryReader(String source) {
        this.source = source;
    }

    /** Reads a whole file. */
    public static History read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(file.toString(), in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read history " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a whole stream. */
    public static History read(String source, InputStream in) throws IOException {
        HistoryReader r = new HistoryReader(source);
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = in.read(buf)) > 0; ) {
            r.feed(buf, 0, n);
        }
        return r.finish();
    }

    /** Feeds the next bytes; parses every line they complete. */
    public void feed(byte[] bytes, int offset, int length) {
        if (finished) {
            throw new IllegalStateException("the reader of " + source + " is finished");
        }
        int start = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (bytes[i] == '\n') {
                append(bytes, start, i - start);
                lineDone(true);
                start = i + 1;
            }
        }
        append(bytes, start, end - start);
    }

    /** Ends the input and returns the history. */
    public History finish() {
        finished = true;
        if (line.size() > 0) {
            lineDone(false);
        }
        try {
            return History.of(entries, warnings);
        } catch (IllegalArgumentException e) {
            throw new HistoryFormatException(source, lineNumber, e.getMessage()); // not reached: checked per line
        }
    }

    private void append(byte[] bytes, int offset, int length) {
        if (length == 0) {
            return;
        }
        if (line.size() + length > MAX_LINE) {
            throw new HistoryFormatException(source, lineNumber, "line longer than " + MAX_LINE + " bytes");
        }
        line.write(bytes, offset, length);
    }

    private void lineDone(boolean terminated) {
        byte[] raw = line.toByteArray();
        line.reset();
        long number = lineNumber++;
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw))
                    .toString();
        } catch (CharacterCodingException e) {
            if (!terminated) {
                warnings.add(incomplete(number));
                return;
            }
            throw new HistoryFormatException(source, number, "not UTF-8 text");
        }
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.isBlank()) {
            return;
        }
        HistoryEntry e;
        try {
            e = HistoryJson.parse(text);
        } catch (IllegalArgumentException ex) {
            if (!terminated) {
                warnings.add(incomplete(number));
                return;
            }
            throw new HistoryFormatException(source, number, ex.getMessage());
        }
        String problem = rules.accept(e);
        if (problem != null) {
            throw new HistoryFormatException(source, number, problem);
        }
        entries.add(e);
    }

    private String incomplete(long number) {
        return source + ":" + number + ": the last line is incomplete (the run was cut short while writing it);"
                + " ignored";
    }
}
