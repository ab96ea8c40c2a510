package io.vmcluster.scenario.step;

import io.vmcluster.yaml.Location;

/** Writes a message (variables substituted) to the run's log and events. */
public record LogStep(Location location, String message, String label) implements Step {
    @Override
    public String describe() {
        return "log: " + message;
    }
}
