package io.vmcluster.fault;

import java.util.Locale;

/**
 * How a fault was put in place; recorded as the {@code method} of its events (the lower-case
 * dashed name, e.g. {@code nftables-bridge}).
 */
public enum FaultMethod {
    /** Rules in the cluster's bridge-family nftables table (partitions, one-way cuts). */
    NFTABLES_BRIDGE,
    /** tc netem on the host taps in the cluster's namespace; invisible to the guest. */
    HOST_NETEM,
    /** tc netem on the guest's NIC, over the command channel. */
    GUEST_NETEM,
    /** A QEMU {@code filter-dump} object on the NIC's netdev (captures). */
    QEMU_FILTER_DUMP,
    /** QMP {@code stop} / {@code cont} (pause). */
    QMP_STOP,
    /** The QEMU process killed (crash). */
    KILL_QEMU,
    /** QMP {@code system_powerdown} (shutdown). */
    QMP_POWERDOWN,
    /** QMP {@code block_set_io_throttle} (slow disk). */
    QMP_IO_THROTTLE,
    /** A blkdebug node inserted by {@code blockdev-reopen} (disk errors). */
    BLKDEBUG_REOPEN,
    /** QEMU killed, the data disk file replaced by a blank qcow2, QEMU started again (wipe disk). */
    BLANK_DISK,
    /** {@code date -s} in the guest (clock skew). */
    GUEST_DATE,
    /** The image's service map (stopped services). */
    SERVICE_MAP;

    /** The name in events, e.g. {@code qmp-io-throttle}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
