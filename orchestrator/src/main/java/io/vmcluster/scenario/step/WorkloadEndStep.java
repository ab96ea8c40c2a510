package io.vmcluster.scenario.step;

import io.vmcluster.yaml.Location;
import java.time.Duration;

/**
 * Waits for a workload started by an earlier {@link WorkloadStep} of the same test to reach its
 * duration or op count (or, with {@code stop}, tells its clients to start no new operation now),
 * runs its final reads, closes its history and runs its checkers: the step fails unless every
 * verdict is valid ({@code unknown} is not a pass).
 *
 * @param name the workload
 * @param stop whether to stop the clients at this step instead of waiting for their duration or count
 * @param timeout how long to wait for the clients beyond their own end (null: the step default)
 */
public record WorkloadEndStep(Location location, String name, boolean stop, Duration timeout, String label)
        implements Step {
    @Override
    public String describe() {
        return (stop ? "stop" : "end") + " workload " + name + " and check its history";
    }
}
