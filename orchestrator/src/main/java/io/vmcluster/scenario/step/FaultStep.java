package io.vmcluster.scenario.step;

import io.vmcluster.fault.FaultSpec;
import io.vmcluster.yaml.Location;
import java.time.Duration;

/**
 * Injects a fault from outside the guests; it stays in effect until {@code heal} (or the end of
 * the run). The fault is the fault API's own value ({@link FaultSpec}) over this step's node
 * selectors, which may hold {@code ${var}}; the runner resolves them to node names when the step
 * runs ({@link FaultSpec#map}).
 */
public record FaultStep(Location location, FaultSpec<NodeSelector> fault, Duration timeout, String label)
        implements Step {
    @Override
    public String describe() {
        return fault.toString();
    }
}
