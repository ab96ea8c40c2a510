package io.vmcluster.history;

import java.util.Locale;

/** History times (nanoseconds since the workload started) as people read them. */
public final class Times {
    private Times() {}

    /** {@code 12.403 s}; negative times (before the workload started) keep their sign. */
    public static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
    }

    /** {@code 12.4 s}, one decimal, for summaries. */
    public static String shortSeconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    /** Milliseconds with one decimal, for latencies: {@code 3.2 ms}. */
    public static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
}
