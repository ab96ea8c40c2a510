package io.vmcluster.scenario.run;

import java.time.Duration;
import java.util.Objects;

/**
 * The verdict of one test (one JUnit test case).
 *
 * @param name the test's name
 * @param status passed, failed or skipped
 * @param duration how long it ran
 * @param message null when passed; why it failed or was skipped otherwise
 * @param failure the failing step's evidence (null unless a step failed)
 */
public record TestOutcome(String name, Status status, Duration duration, String message, StepFailure failure) {
    public TestOutcome {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        duration = duration == null ? Duration.ZERO : duration;
    }

    /** Test verdicts. */
    public enum Status {
        PASSED,
        FAILED,
        SKIPPED
    }
}
