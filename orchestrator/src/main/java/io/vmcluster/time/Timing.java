package io.vmcluster.time;

import java.time.Duration;

/**
 * The one source of timeouts. Every bound in vmcluster is a nominal duration scaled by one
 * multiplier, so a slow host (TCG emulation, a loaded CI machine) raises one number instead of
 * every timeout in the code base.
 *
 * <p>The multiplier comes from the system property {@code vmc.timing.multiplier}, else the
 * environment variable {@code VMC_TIMING_MULTIPLIER}, else 1.
 */
public final class Timing {
    private static final Timing DEFAULT = new Timing(readMultiplier());

    private final double multiplier;

    private Timing(double multiplier) {
        if (!(multiplier > 0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("timing multiplier must be a positive number, got " + multiplier);
        }
        this.multiplier = multiplier;
    }

    /** The process-wide timing, scaled by {@code vmc.timing.multiplier}. */
    public static Timing standard() {
        return DEFAULT;
    }

    /** A timing with an explicit multiplier (tests, or a CLI option). */
    public static Timing withMultiplier(double multiplier) {
        return new Timing(multiplier);
    }

    public double multiplier() {
        return multiplier;
    }

    /** The nominal duration scaled by the multiplier. */
    public Duration scale(Duration nominal) {
        return Duration.ofNanos(Math.round(nominal.toNanos() * multiplier));
    }

    /** A deadline that expires after the scaled duration, starting now. */
    public Deadline deadline(Duration nominal) {
        return Deadline.after(scale(nominal));
    }

    private static double readMultiplier() {
        String value = System.getProperty("vmc.timing.multiplier");
        if (value == null || value.isBlank()) {
            value = System.getenv("VMC_TIMING_MULTIPLIER");
        }
        if (value == null || value.isBlank()) {
            return 1.0;
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "vmc.timing.multiplier / VMC_TIMING_MULTIPLIER must be a positive number, got '" + value + "'", e);
        }
    }
}
