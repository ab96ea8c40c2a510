package io.vmcluster.scenario;

import java.time.Duration;
import java.util.Objects;

/**
 * The three bounds of a run, nominal (the runner scales them by {@link io.vmcluster.time.Timing}).
 *
 * @param step default bound of one step (a step's own {@code timeout:} overrides it)
 * @param test default bound of one test (a test's own {@code timeout:} overrides it)
 * @param run bound of the whole run, cluster boot included
 */
public record Timeouts(Duration step, Duration test, Duration run) {
    public static final Timeouts DEFAULTS =
            new Timeouts(Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofMinutes(60));

    public Timeouts {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(run, "run");
    }
}
