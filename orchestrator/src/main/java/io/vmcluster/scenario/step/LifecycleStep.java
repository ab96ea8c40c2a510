package io.vmcluster.scenario.step;

import io.vmcluster.yaml.Location;
import java.time.Duration;

/**
 * Changes the state of whole VMs, from the hypervisor.
 *
 * @param action what happens to the VM
 * @param nodes the nodes (in parallel)
 * @param timeout bound (restart/start wait until the node is ready again), or null for the step default
 */
public record LifecycleStep(Location location, Action action, NodeSelector nodes, Duration timeout, String label)
        implements Step {
    /** Node lifecycle actions. */
    public enum Action {
        /** Power loss: QEMU killed, unflushed writes lost. */
        CRASH,
        /** Stop (gracefully) if running, start again on the same disks, until ready. */
        RESTART,
        /** Freeze the whole guest (QMP stop). */
        PAUSE,
        /** Unfreeze (QMP cont). */
        RESUME,
        /** Hard reset (system_reset), until ready again. */
        RESET,
        /** Graceful power-off (system_powerdown, bounded). */
        SHUTDOWN,
        /** Boot a stopped node on its disks, until ready. */
        START
    }

    @Override
    public String describe() {
        return action.name().toLowerCase(java.util.Locale.ROOT) + " " + nodes;
    }
}
