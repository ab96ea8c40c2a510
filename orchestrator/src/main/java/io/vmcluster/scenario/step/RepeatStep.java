package io.vmcluster.scenario.step;

import io.vmcluster.yaml.Location;
import java.util.List;

/**
 * Runs steps a fixed number of times (at most {@value #MAX_TIMES}).
 *
 * @param times how many times
 * @param counter variable holding the round, 1-based ({@code ${i}} by default)
 * @param steps the steps of one round
 */
public record RepeatStep(Location location, int times, String counter, List<Step> steps, String label) implements Step {
    public static final int MAX_TIMES = 10_000;

    public RepeatStep {
        steps = List.copyOf(steps);
    }

    @Override
    public String describe() {
        return "repeat " + times + " times";
    }
}
