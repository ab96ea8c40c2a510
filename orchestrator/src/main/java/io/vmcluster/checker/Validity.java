package io.vmcluster.checker;

import java.util.Collection;
import java.util.Locale;

/**
 * A checker's answer. {@link #UNKNOWN} is not a pass: the history did not allow a conclusion (a
 * bounded search ran out, nothing was read, the queue was never drained).
 */
public enum Validity {
    VALID,
    INVALID,
    UNKNOWN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Invalid if any is, else unknown if any is, else valid (also for none). */
    public static Validity merge(Collection<Validity> all) {
        if (all.contains(INVALID)) {
            return INVALID;
        }
        return all.contains(UNKNOWN) ? UNKNOWN : VALID;
    }

    /** The exit status of {@code vmcluster analyze}: 0 valid, 1 otherwise. */
    public boolean passed() {
        return this == VALID;
    }
}
