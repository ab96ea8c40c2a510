package io.vmcluster.report;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One step of a subtest as the events recorded it ({@code step.start} / {@code step.end}).
 *
 * @param step what the step did, as the scenario wrote it with the variables known then substituted
 * @param at where the step is written ({@code file:line:col}), or empty
 * @param node the node where it failed, or null
 * @param started when it began
 * @param duration how long it ran; null while it never ended
 * @param outcome passed or failed; a step that never ended (the run was cut short) is failed
 * @param error why it failed, or empty
 * @param depth how many steps enclose it ({@code repeat}, {@code parallel}): 0 at the top level
 */
public record StepReport(
        String step,
        String at,
        String node,
        Instant started,
        Duration duration,
        Outcome outcome,
        String error,
        int depth) {
    public StepReport {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(outcome, "outcome");
        at = at == null ? "" : at;
        error = error == null ? "" : error;
    }

    /** Whether the step has a {@code step.end}. */
    public boolean ended() {
        return duration != null;
    }

    /** The duration, or zero when it never ended. */
    public Duration durationOrZero() {
        return duration == null ? Duration.ZERO : duration;
    }
}
