package io.vmcluster.nemesis;

import io.vmcluster.time.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a nemesis does, before any randomness is drawn: which faults, how long each lasts, how
 * long the gaps are, how many at once, for how long, and the recovery after the final heal.
 * {@link Nemesis#generate} expands it with a seed into a {@link Schedule}.
 *
 * @param faults the faults to choose from (by weight)
 * @param duration how long a fault lasts unless its choice says otherwise
 * @param gap the quiet time before each fault, counted from when a slot is free: from the
 *     previous start while fewer than {@code concurrency} faults are open, else from the
 *     earliest end
 * @param concurrency how many faults may be open at once (at least 1)
 * @param length how long faults are injected; a fault still open then is cut short, and the
 *     final heal undoes everything
 * @param recovery quiet time after the final heal, for the system to recover before the
 *     nemesis block ends
 */
public record NemesisSpec(
        List<FaultChoice> faults, Bounds duration, Bounds gap, int concurrency, Duration length, Duration recovery) {
    public NemesisSpec {
        faults = List.copyOf(faults);
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(gap, "gap");
        Objects.requireNonNull(length, "length");
        Objects.requireNonNull(recovery, "recovery");
        if (faults.isEmpty()) {
            throw new IllegalArgumentException("a nemesis needs at least one fault to choose from");
        }
        if (gap.min().isZero()) {
            throw new IllegalArgumentException("the gap between faults must be longer than zero");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
        }
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException(
                    "the nemesis must last longer than zero, got " + Durations.format(length));
        }
        if (recovery.isNegative()) {
            throw new IllegalArgumentException("recovery must not be negative");
        }
    }

    /** One fault at a time, a fault of {@code duration} after each {@code gap}, for {@code length}. */
    public static NemesisSpec of(List<FaultChoice> faults, Bounds duration, Bounds gap, Duration length) {
        return new NemesisSpec(faults, duration, gap, 1, length, Duration.ZERO);
    }

    public NemesisSpec withConcurrency(int n) {
        return new NemesisSpec(faults, duration, gap, n, length, recovery);
    }

    public NemesisSpec withRecovery(Duration r) {
        return new NemesisSpec(faults, duration, gap, concurrency, length, r);
    }
}
