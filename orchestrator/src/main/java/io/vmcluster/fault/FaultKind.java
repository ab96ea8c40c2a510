package io.vmcluster.fault;

import java.util.Locale;

/** What a fault does; the lower-case dashed name is used in events and scenario files. */
public enum FaultKind {
    /** The node's NIC loses carrier (QMP {@code set_link off}). */
    NIC_CUT(true),
    /** Frames between groups of nodes are silently dropped on the bridge (nftables). */
    PARTITION(true),
    /** Frames from one node to another are silently dropped; the reverse direction still flows. */
    ONE_WAY_CUT(true),
    /** Delay, loss, duplication, corruption, reordering or rate limiting (tc netem). */
    IMPAIRMENT(true),
    /** A pcap capture of a NIC (QEMU {@code filter-dump}); observes, changes nothing. */
    CAPTURE(false),
    /** All vCPUs stopped (QMP {@code stop}); undone by {@code cont}. */
    PAUSE(false),
    /** Power loss: QEMU killed; undone by a restart on the same disks. */
    CRASH(false),
    /** Hard reset (QMP {@code system_reset}); instantaneous. */
    RESET(false),
    /** Graceful power-down; undone by starting the node again. */
    SHUTDOWN(false),
    /** A running node stopped gracefully and started again (the restart step), until it is ready. */
    RESTART(false),
    /** A node stopped gracefully and booted on another image with its data disk (a rolling upgrade's step), until ready. */
    UPGRADE(false),
    /** I/O throttling of the data disk (QMP {@code block_set_io_throttle}). */
    SLOW_DISK(false),
    /** I/O errors (EIO) returned for reads of the data disk (blkdebug). */
    DISK_ERRORS(false),
    /** The guest clock moved by an offset; undone by setting it back to true time. */
    CLOCK_SKEW(false),
    /**
     * The data disk lost: power loss, the disk replaced by a blank one, the node booted again;
     * instantaneous (nothing brings the disk back but a restore from a backup).
     */
    WIPE_DISK(false),
    /** A process killed with SIGKILL; instantaneous. */
    KILL_PROCESS(false),
    /** A service stopped through the image's service map; undone by starting it. */
    STOP_SERVICE(false);

    private final boolean network;

    FaultKind(boolean network) {
        this.network = network;
    }

    /** True for the faults {@link Faults#heal()} undoes: everything that disturbs the network. */
    public boolean network() {
        return network;
    }

    /** The name used in events and scenario files, e.g. {@code one-way-cut}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
