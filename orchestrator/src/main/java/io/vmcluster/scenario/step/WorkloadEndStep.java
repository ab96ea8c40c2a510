package io.vmcluster.scenario.step;

import io.vmcluster.yaml.Location;
import java.time.Duration;

/**
 * Waits for a workload started by an earlier {@link WorkloadStep} of the same test to reach its
 * duration or op count, runs its final reads, closes its history and runs its checkers: the step
 * fails unless every verdict is valid ({@code unknown} is not a pass).
 *
 * @param name the workload
 * @param timeout how long to wait for the clients beyond their own end (null: the step default)
 */
public record WorkloadEndStep(Location location, String name, Duration timeout, String label) implements Step {
    @Override
    public String describe() {
        return "end workload " + name + " and check its history";
    }
}
