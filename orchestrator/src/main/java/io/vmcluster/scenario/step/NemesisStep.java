package io.vmcluster.scenario.step;

import io.vmcluster.nemesis.NemesisSpec;
import io.vmcluster.yaml.Location;

/**
 * Runs a seeded nemesis in the foreground for its length and recovery (a workload started before
 * it runs on in the background): the schedule is drawn from the seed before any fault, written to
 * {@code schedule.json}, and applied through the fault API (docs/nemesis.md).
 *
 * @param spec the nemesis
 * @param seed the seed written in the file, or null (the run's seed: {@code --seed}, else one chosen)
 */
public record NemesisStep(Location location, NemesisSpec spec, Long seed, String label) implements Step {
    @Override
    public String describe() {
        return "nemesis: " + spec.faults().size() + " kind(s) of fault for "
                + io.vmcluster.time.Durations.format(spec.length()) + (seed == null ? "" : ", seed " + seed);
    }
}
