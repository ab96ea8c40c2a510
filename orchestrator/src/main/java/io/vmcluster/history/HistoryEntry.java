package io.vmcluster.history;

/**
 * One line of {@code history.jsonl}: an operation's invocation or completion ({@link Op}), or a
 * probe sample ({@link Probe}).
 */
public sealed interface HistoryEntry permits Op, Probe {
    /** Nanoseconds since the workload started, on the host's monotonic clock. */
    long time();

    /** The node concerned, or null. */
    String node();
}
