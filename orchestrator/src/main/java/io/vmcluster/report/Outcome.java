package io.vmcluster.report;

import java.util.Locale;

/** How a subtest, a step or a whole run ended. */
public enum Outcome {
    PASSED,
    FAILED,
    SKIPPED;

    /** Reads the {@code outcome} field of an event; anything unknown counts as a failure. */
    public static Outcome parse(Object value) {
        if (value == null) {
            return FAILED;
        }
        return switch (value.toString().toLowerCase(Locale.ROOT)) {
            case "passed", "pass", "ok", "success" -> PASSED;
            case "skipped", "skip" -> SKIPPED;
            default -> FAILED;
        };
    }

    /** The word used in events and on the console. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
