package io.vmcluster.nemesis;

import io.vmcluster.fault.FaultKind;

/**
 * What a fault does to the nodes it names, as far as other faults on the same node are concerned
 * — the rules the generator keeps so that no two faults meet on a node where the fault API could
 * not apply or undo one of them.
 *
 * <ul>
 *   <li>{@link #SWITCH}: rules on the host's bridge (partitions, isolation, one-way cuts) need
 *       nothing from the node and go with anything.
 *   <li>{@link #SHARED}: faults that talk to the node's QEMU or guest (NIC cut, impairment, slow
 *       disk, disk errors, clock skew, a stopped service, a killed process, a capture) go
 *       together, but not twice the same kind on one node (one netem qdisc, one throttle, one
 *       blkdebug layer, one clock), and not on a node that is down or frozen.
 *   <li>{@link #EXCLUSIVE}: faults that take the whole VM away (crash, shutdown, pause, reset, upgrade)
 *       go with no other node fault on that node: QMP and guest commands need a running VM.
 * </ul>
 */
enum NodeUse {
    SWITCH,
    SHARED,
    EXCLUSIVE;

    static NodeUse of(FaultKind kind) {
        return switch (kind) {
            case PARTITION, ONE_WAY_CUT -> SWITCH;
            case PAUSE, CRASH, RESET, SHUTDOWN, RESTART, UPGRADE, WIPE_DISK -> EXCLUSIVE;
            case NIC_CUT, IMPAIRMENT, CAPTURE, SLOW_DISK, DISK_ERRORS, CLOCK_SKEW, KILL_PROCESS, STOP_SERVICE -> SHARED;
        };
    }

    /** True if a fault of {@code a} and one of {@code b} may be open on the same node at once. */
    static boolean compatible(FaultKind a, FaultKind b) {
        NodeUse ua = of(a);
        NodeUse ub = of(b);
        if (ua == SWITCH || ub == SWITCH) {
            return true;
        }
        if (ua == EXCLUSIVE || ub == EXCLUSIVE) {
            return false;
        }
        return a != b;
    }
}
