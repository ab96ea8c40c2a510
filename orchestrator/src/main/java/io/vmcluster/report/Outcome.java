package io.vmcluster.report;

import java.util.Locale;

/** How a subtest, a step or a whole run ended. */
public enum Outcome {
    PASSED,
    FAILED,
    SKIPPED;

    /** Reads a {@code status} field of an event; anything unknown counts as a failure. */
    public static Outcome parse(Object value) {
        if (value == null) {
            return FAILED;
        }
        return switch (value.toString().toLowerCase(Locale.ROOT)) {
            case "passed", "pass", "ok", "success", "true" -> PASSED;
            case "skipped", "skip" -> SKIPPED;
            default -> FAILED;
        };
    }
}
