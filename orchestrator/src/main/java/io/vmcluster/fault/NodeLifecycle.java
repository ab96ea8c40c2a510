package io.vmcluster.fault;

import java.time.Duration;

/**
 * The node lifecycle operations faults delegate to; the cluster owns them because it tracks the
 * node's state (a crashed node is not "running").
 */
public interface NodeLifecycle {
    /** Freezes all vCPUs (QMP {@code stop}). */
    void pause();

    /** Thaws them (QMP {@code cont}). */
    void resume();

    /** Power loss: kills QEMU without flushing anything. */
    void crash();

    /** Starts the node again on the same disks after a crash or shutdown, and waits until ready. */
    void restart();

    /**
     * The data disk lost: power loss, the data disk replaced by a blank one, started again; waits
     * until ready.
     */
    void wipeDisk();

    /** Hard reset (QMP {@code system_reset}). */
    void reset();

    /** Graceful power-down ({@code system_powerdown}), forced off after the cluster's bound. */
    void shutdown();

    /** Stops a service through the image's service map; the command is bounded by {@code timeout} (nominal). */
    void stopService(String service, Duration timeout);

    /** Starts a service through the image's service map; the command is bounded by {@code timeout} (nominal). */
    void startService(String service, Duration timeout);
}
