package io.vmcluster.time;

import java.time.Duration;

/**
 * The one source of timeouts. Every bound in vmcluster is a nominal duration scaled by one
 * multiplier, so a slow host (TCG emulation, a loaded CI machine) raises one number instead of
 * every timeout in the code base.
 *
 * <p>The multiplier comes from the system property {@code vmc.timing.multiplier}, else the
 * environment variable {@code VMC_TIMING_MULTIPLIER}, else 1. It is read at the edges only (the
 * CLI, {@code cluster.RunOptions.defaults()}, a {@link Wait} given no timing); everything below
 * receives its {@code Timing} as a parameter ({@code TimingAtTheEdgesTest} holds the code to that).
 */
public final class Timing {
    /** Read on first use, so a bad value is an ordinary exception the CLI reports, not a failed class init. */
    private static volatile Timing standard;

    /** Above this every bound is hours long: a typo, not a slow host. */
    private static final double MAX_MULTIPLIER = 100;

    private final double multiplier;

    private Timing(double multiplier) {
        if (!(multiplier > 0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("timing multiplier must be a positive number, got " + multiplier);
        }
        this.multiplier = multiplier;
    }

    /**
     * The process-wide timing, scaled by {@code vmc.timing.multiplier}.
     *
     * @throws IllegalArgumentException when the multiplier is set but not a positive number (the
     *     message names the variable and the value)
     */
    public static Timing standard() {
        Timing t = standard;
        if (t == null) {
            t = new Timing(readMultiplier());
            standard = t;
        }
        return t;
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

    /**
     * The inverse of {@link #scale}: the nominal duration that scales to {@code scaled} (at least
     * 1 ns), for handing a deadline's remaining time to an API that scales what it is given.
     */
    public Duration nominal(Duration scaled) {
        return Duration.ofNanos(Math.max(1, Math.round(scaled.toNanos() / multiplier)));
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
        return parseMultiplier(value);
    }

    /** A multiplier as the user wrote it; package-visible for tests. */
    static double parseMultiplier(String value) {
        double m;
        try {
            m = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            m = Double.NaN;
        }
        if (!(m > 0) || m > MAX_MULTIPLIER || value.trim().matches(".*[^0-9.eE+-].*")) {
            throw new IllegalArgumentException("VMC_TIMING_MULTIPLIER (or -Dvmc.timing.multiplier) must be a positive"
                    + " number up to " + (int) MAX_MULTIPLIER + ", such as 2 or 1.5; found '" + value + "'");
        }
        return m;
    }
}
