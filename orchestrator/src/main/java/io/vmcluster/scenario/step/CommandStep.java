package io.vmcluster.scenario.step;

import io.vmcluster.yaml.Location;
import java.time.Duration;

/**
 * Runs a shell command on each selected node (in parallel) and checks its result.
 *
 * @param kind {@code succeed} (exit 0), {@code fail} (non-zero exit), {@code exec} (only the
 *     {@code expect:} checks) or {@code show} (output recorded for the report, never fails on exit)
 * @param command the command for the guest's {@code /bin/sh -c}; may contain {@code ${var}}
 * @param on the nodes
 * @param expect the checks (the kind's exit-code rule already folded in)
 * @param capture variable receiving the stripped stdout (single node only), or null
 * @param timeout bound per command, or null for the scenario's step default
 */
public record CommandStep(
        Location location,
        Kind kind,
        String command,
        NodeSelector on,
        Checks expect,
        String capture,
        Duration timeout,
        boolean showOutput,
        String label)
        implements Step {
    /** The command verbs. */
    public enum Kind {
        SUCCEED,
        FAIL,
        EXEC,
        SHOW
    }

    @Override
    public String describe() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " on " + on + ": " + command;
    }
}
