package io.vmcluster.report;

import java.time.Duration;
import java.util.Objects;

/**
 * One subtest as the report sees it: a JUnit test case.
 *
 * @param name the subtest's name in the scenario
 * @param outcome passed, failed or skipped
 * @param duration how long it ran
 * @param message why it failed (step, node, command, exit code), or empty
 * @param output the failing step's stdout/stderr, or empty
 */
public record SubtestReport(String name, Outcome outcome, Duration duration, String message, String output) {
    public SubtestReport {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(outcome, "outcome");
        duration = duration == null ? Duration.ZERO : duration;
        message = message == null ? "" : message;
        output = output == null ? "" : output;
    }
}
