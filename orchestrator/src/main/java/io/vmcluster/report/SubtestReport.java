package io.vmcluster.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One subtest as the report sees it: a JUnit test case.
 *
 * @param name the subtest's name in the scenario
 * @param outcome passed, failed or skipped
 * @param duration how long it ran
 * @param message why it failed (step, node, command, exit code), or empty
 * @param output the failing step's stdout/stderr, or empty
 * @param started when it began, or null when it never ran
 * @param steps its steps in the order they started (nested ones included, see {@link StepReport#depth()})
 */
public record SubtestReport(
        String name,
        Outcome outcome,
        Duration duration,
        String message,
        String output,
        Instant started,
        List<StepReport> steps) {
    public SubtestReport {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(outcome, "outcome");
        duration = duration == null ? Duration.ZERO : duration;
        message = message == null ? "" : message;
        output = output == null ? "" : output;
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    /** A subtest without recorded start or steps. */
    public SubtestReport(String name, Outcome outcome, Duration duration, String message, String output) {
        this(name, outcome, duration, message, output, null, List.of());
    }
}
