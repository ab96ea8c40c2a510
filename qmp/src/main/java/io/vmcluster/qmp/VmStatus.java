package io.vmcluster.qmp;

/**
 * The answer to {@code query-status}.
 *
 * @param status QEMU's run state, e.g. "running", "paused", "shutdown", "prelaunch",
 *     "inmigrate", "guest-panicked"
 * @param running whether the vCPUs run
 */
public record VmStatus(String status, boolean running) {
    /** Whether the VM is paused (by {@code stop} or otherwise). */
    public boolean paused() {
        return "paused".equals(status);
    }
}
