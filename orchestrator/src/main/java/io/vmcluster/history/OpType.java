package io.vmcluster.history;

import java.util.Locale;

/**
 * What one line of an operation says, after Jepsen: the client is about to send the request
 * ({@link #INVOKE}), or it came back and the operation certainly happened ({@link #OK}), certainly
 * did not happen ({@link #FAIL}), or may or may not have happened ({@link #INFO}: a timeout, a
 * reset connection, a crashed node). When in doubt a workload must say {@code INFO}: a {@code FAIL}
 * that may have happened makes every checker wrong.
 */
public enum OpType {
    INVOKE,
    OK,
    FAIL,
    INFO;

    /** The lower-case name used in {@code history.jsonl} and {@code history.edn}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for the three completions. */
    public boolean isCompletion() {
        return this != INVOKE;
    }

    /** Parses a wire name, or returns null when it is none. */
    public static OpType parse(String name) {
        for (OpType t : values()) {
            if (t.wireName().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
