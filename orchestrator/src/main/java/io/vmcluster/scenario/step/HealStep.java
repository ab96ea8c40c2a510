package io.vmcluster.scenario.step;

import io.vmcluster.yaml.Location;

/** Undoes every fault still in effect: partitions, cuts, impairments, disk and clock faults. */
public record HealStep(Location location, String label) implements Step {
    @Override
    public String describe() {
        return "heal";
    }
}
