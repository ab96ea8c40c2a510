package io.vmcluster.scenario.step;

import io.vmcluster.yaml.Location;
import java.util.List;

/**
 * Runs its steps at the same time and waits for all; fails if any fails (every failure is reported).
 * A branch that is a list of steps runs those in order.
 *
 * @param branches the branches; each a list of steps run in order
 */
public record ParallelStep(Location location, List<List<Step>> branches, String label) implements Step {
    public ParallelStep {
        branches = branches.stream().map(List::copyOf).toList();
    }

    @Override
    public String describe() {
        return "parallel (" + branches.size() + " branches)";
    }
}
