package io.vmcluster.time;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsing and printing of human durations: {@code 250ms}, {@code 5s}, {@code 1.5s}, {@code 2m}, {@code 1h}. */
public final class Durations {
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,30}(?:\\.\\d{1,9})?)\\s*(ms|s|m|h)");

    /**
     * The longest duration vmcluster reads: 7 days. Longer is a typo (or a unit mix-up) in every
     * real use, and would overflow once scaled by a timing multiplier.
     */
    public static final Duration MAX = Duration.ofDays(7);

    private Durations() {}

    /**
     * Parses a duration such as {@code 250ms}, {@code 5s}, {@code 1.5s}, {@code 2m} or {@code 1h},
     * at most {@link #MAX}.
     *
     * @throws IllegalArgumentException naming the value and the accepted forms
     */
    public static Duration parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("missing duration; write it like 250ms, 5s, 1.5s, 2m or 1h");
        }
        Matcher m = FORMAT.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a duration; write it like 250ms, 5s, 1.5s, 2m or 1h");
        }
        double amount = Double.parseDouble(m.group(1));
        double millis = switch (m.group(2)) {
            case "ms" -> amount;
            case "s" -> amount * 1_000;
            case "m" -> amount * 60_000;
            case "h" -> amount * 3_600_000;
            default -> throw new AssertionError(m.group(2));
        };
        if (millis > MAX.toMillis()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is longer than 7 days (168h), the longest duration vmcluster takes");
        }
        return Duration.ofNanos(Math.round(millis * 1_000_000));
    }

    /** Prints a duration the way a person reads it: {@code 850 ms}, {@code 12.3 s}, {@code 2 m 05 s}. */
    public static String format(Duration d) {
        long millis = d.toMillis();
        if (millis < 1_000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = millis / 1000;
        return String.format(Locale.ROOT, "%d m %02d s", seconds / 60, seconds % 60);
    }
}
