package io.vmcluster.scenario;

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
 */
public record TestCase(String name, List<Step> steps, Duration timeout, boolean stopOnFailure, Location location) {
    public TestCase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(location, "location");
        steps = List.copyOf(steps);
    }
}
