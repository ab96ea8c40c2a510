package io.vmcluster.qmp.testing;

import java.time.Duration;

/** Test deadlines scaled by {@code vmc.timing.multiplier} (qmp cannot see the orchestrator's Timing). */
public final class TestTiming {
    private static final double MULTIPLIER = read();

    private TestTiming() {}

    /** {@code nominal} scaled for slow hosts. */
    public static Duration scaled(Duration nominal) {
        return Duration.ofNanos(Math.round(nominal.toNanos() * MULTIPLIER));
    }

    private static double read() {
        String value = System.getProperty("vmc.timing.multiplier");
        if (value == null || value.isBlank()) {
            value = System.getenv("VMC_TIMING_MULTIPLIER");
        }
        return value == null || value.isBlank() ? 1.0 : Double.parseDouble(value.trim());
    }
}
