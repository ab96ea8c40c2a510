package io.vmcluster.scenario;

import io.vmcluster.scenario.step.SnapshotStep;
import io.vmcluster.scenario.step.Step;
import io.vmcluster.yaml.Location;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One named subtest (one JUnit test case): steps run in order until one fails.
 *
 * @param name the name shown in reports
 * @param steps the steps
 * @param timeout bound of the whole test, nominal
 * @param stopOnFailure when this test fails, skip the tests after it
 * @param location where the test starts in the file
 * @param fresh {@code fresh: NAME}: the restore of snapshot NAME run before the first step, or
 *     null (docs/snapshots.md)
 */
public record TestCase(
        String name, List<Step> steps, Duration timeout, boolean stopOnFailure, Location location, SnapshotStep fresh) {
    public TestCase(String name, List<Step> steps, Duration timeout, boolean stopOnFailure, Location location) {
        this(name, steps, timeout, stopOnFailure, location, null);
    }

    public TestCase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(location, "location");
        steps = List.copyOf(steps);
        if (fresh != null && fresh.kind() != SnapshotStep.Kind.RESTORE) {
            throw new IllegalArgumentException("fresh must be a restore, found " + fresh.describe());
        }
    }

    /** What runs: the {@code fresh:} restore (if any), then the steps. */
    public List<Step> stepsToRun() {
        if (fresh == null) return steps;
        List<Step> all = new java.util.ArrayList<>(steps.size() + 1);
        all.add(fresh);
        all.addAll(steps);
        return List.copyOf(all);
    }
}
