package io.vmcluster.history;

/**
 * A history file that cannot be read: names the file, the line (from 1) and what is wrong with it.
 * The message reads {@code history.jsonl:17: field 'type' is 'okay'; expected invoke, ok, ...}.
 */
public final class HistoryFormatException extends RuntimeException {
    private final String source;
    private final long line;
    private final String problem;

    public HistoryFormatException(String source, long line, String problem) {
        super(source + ":" + line + ": " + problem);
        this.source = source;
        this.line = line;
        this.problem = problem;
    }

    public String source() {
        return source;
    }

    /** The line number, from 1. */
    public long line() {
        return line;
    }

    /** What is wrong, without the location. */
    public String problem() {
        return problem;
    }
}
