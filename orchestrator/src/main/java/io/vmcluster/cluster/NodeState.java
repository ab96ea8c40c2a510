package io.vmcluster.cluster;

/**
 * Where a node is in its life, as QEMU reports it (process exit, QMP events and status) and as
 * the guest reports it (the readiness line on ttyS0) — never guessed from what was asked.
 */
public enum NodeState {
    /** Defined, no QEMU yet. */
    NOT_STARTED,
    /** QEMU runs, the guest has not printed its readiness line since it (re)booted. */
    BOOTING,
    /** The guest printed its readiness line. */
    READY,
    /** vCPUs stopped (QMP STOP event: {@code stop}, or an I/O error with werror=stop). */
    PAUSED,
    /** The guest is powering down (POWERDOWN/SHUTDOWN event), QEMU still runs. */
    STOPPING,
    /** QEMU exited after a shutdown. */
    STOPPED,
    /** QEMU was killed (power loss) or died unexpectedly. */
    CRASHED;

    /** Whether a QEMU process exists for the node in this state. */
    public boolean hasProcess() {
        return this == BOOTING || this == READY || this == PAUSED || this == STOPPING;
    }
}
