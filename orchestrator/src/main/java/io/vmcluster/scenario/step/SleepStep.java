package io.vmcluster.scenario.step;

import io.vmcluster.yaml.Location;
import java.time.Duration;

/**
 * Sleeps a fixed time (scaled by the timing multiplier). Never needed to wait for a condition
 * ({@code wait_until} does that); meant for "let load run for 10 s".
 */
public record SleepStep(Location location, Duration duration, String label) implements Step {
    @Override
    public String describe() {
        return "sleep " + io.vmcluster.time.Durations.format(duration);
    }
}
