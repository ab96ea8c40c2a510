package io.vmcluster.scenario.step;

import io.vmcluster.yaml.Location;
import java.time.Duration;

/**
 * Runs a command again and again on each selected node until its checks hold there (exit code 0
 * when no check is given), within the deadline.
 *
 * @param command the command; may contain {@code ${var}}
 * @param on the nodes; the step passes when the checks hold on every one of them
 * @param expect the checks
 * @param timeout the deadline (nominal), or null for the step default
 * @param interval the longest pause between tries
 * @param capture variable receiving the stripped stdout of the successful try (single node), or null
 */
public record WaitUntilStep(
        Location location,
        String command,
        NodeSelector on,
        Checks expect,
        Duration timeout,
        Duration interval,
        String capture,
        boolean showOutput,
        String label)
        implements Step {
    @Override
    public String describe() {
        return "wait until on " + on + ": " + command + " (" + expect + ")";
    }
}
