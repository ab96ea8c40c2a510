package io.vmcluster.nemesis;

import io.vmcluster.time.Durations;
import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A duration that is fixed ({@code min == max}) or drawn uniformly between two bounds, to the
 * millisecond, from the nemesis's seeded generator.
 *
 * @param min the shortest (inclusive)
 * @param max the longest (inclusive)
 */
public record Bounds(Duration min, Duration max) {
    public Bounds {
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        if (min.isNegative()) {
            throw new IllegalArgumentException("a duration must not be negative, got " + Durations.format(min));
        }
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException(
                    "the upper bound " + Durations.format(max) + " is below the lower bound " + Durations.format(min));
        }
    }

    /** Always {@code d}. */
    public static Bounds fixed(Duration d) {
        return new Bounds(d, d);
    }

    /** Uniformly between {@code min} and {@code max}. */
    public static Bounds between(Duration min, Duration max) {
        return new Bounds(min, max);
    }

    /** True when nothing is drawn. */
    public boolean isFixed() {
        return min.equals(max);
    }

    /** A duration within the bounds, whole milliseconds; draws from {@code random} only if not fixed. */
    Duration draw(SplittableRandom random) {
        if (isFixed()) {
            return min;
        }
        long lo = min.toMillis();
        long hi = max.toMillis();
        return Duration.ofMillis(lo + random.nextLong(hi - lo + 1));
    }

    /** True if {@code d} lies within the bounds. */
    public boolean contains(Duration d) {
        return d.compareTo(min) >= 0 && d.compareTo(max) <= 0;
    }

    @Override
    public String toString() {
        return isFixed() ? Durations.format(min) : Durations.format(min) + ".." + Durations.format(max);
    }
}
