package io.vmcluster.scenario.step;

import io.vmcluster.yaml.Location;
import java.time.Duration;
import java.util.List;

/**
 * Injects a fault from outside the guests; it stays in effect until {@code heal} (or the end of
 * the run). The vocabulary is the fault API's (io.vmcluster.fault).
 */
public record FaultStep(Location location, Fault fault, Duration timeout, String label) implements Step {
    @Override
    public String describe() {
        return fault.toString();
    }

    /** The faults a scenario can inject. Node names may hold {@code ${var}}. */
    public sealed interface Fault {}

    /** Silent switch partition into groups; nodes named in no group stay connected to all. */
    public record Partition(List<NodeSelector> groups) implements Fault {
        public Partition {
            groups = List.copyOf(groups);
        }

        @Override
        public String toString() {
            return "partition " + groups.stream().map(g -> "[" + g + "]").toList();
        }
    }

    /** A named partition shape (Jepsen's): see {@link Shape}. */
    public record PartitionShape(Shape shape, long seed) implements Fault {
        @Override
        public String toString() {
            return "partition " + shape.name().toLowerCase(java.util.Locale.ROOT) + " (seed " + seed + ")";
        }
    }

    /** Named partition shapes. */
    public enum Shape {
        /** Two halves (the first half the larger when odd). */
        HALVES,
        /** A random majority and the minority, picked from the seed. */
        MAJORITY_MINORITY,
        /** Every node sees a majority, no two the same (Jepsen's majorities ring). */
        MAJORITIES_RING,
        /** Two halves joined by one node that sees both. */
        BRIDGE,
        /** One node, picked from the seed, cut off from the rest. */
        ISOLATE_ONE
    }

    /** Cut the given nodes off from every other node (silently, at the switch). */
    public record Isolate(NodeSelector nodes) implements Fault {
        @Override
        public String toString() {
            return "isolate " + nodes;
        }
    }

    /** NIC link down (QMP set_link off): the guest sees carrier loss. */
    public record CutNic(NodeSelector nodes) implements Fault {
        @Override
        public String toString() {
            return "cut nic of " + nodes;
        }
    }

    /** Packets from {@code from} to {@code to} are dropped; the other way still works. */
    public record CutOneWay(NodeSelector from, NodeSelector to) implements Fault {
        @Override
        public String toString() {
            return "cut one way " + from + " -> " + to;
        }
    }

    /**
     * Impair the links of {@code nodes} (all their traffic), or only traffic from {@code nodes}
     * to {@code to} when {@code to} is given.
     */
    public record Impair(NodeSelector nodes, NodeSelector to, Impairment impairment) implements Fault {
        @Override
        public String toString() {
            return "impair " + nodes + (to == null ? "" : " -> " + to) + ": " + impairment;
        }
    }

    /** Record every NIC's traffic into {@code captures/<node>-<nic>-<id>.pcap} in the run directory until healed. */
    public record PacketCapture(NodeSelector nodes) implements Fault {
        @Override
        public String toString() {
            return "packet capture on " + nodes;
        }
    }

    /** Throttle the data disk: IOPS and/or bytes per second (null = unlimited). */
    public record SlowDisk(NodeSelector nodes, Long iops, Long bytesPerSecond) implements Fault {
        @Override
        public String toString() {
            return "slow disk on " + nodes + " (iops " + iops + ", bytes/s " + bytesPerSecond + ")";
        }
    }

    /**
     * EIO on the data disk until healed: reads, writes or both, on every sector or only on
     * requests touching one 512-byte sector (null = every sector).
     */
    public record DiskErrors(NodeSelector nodes, boolean reads, boolean writes, Long sector) implements Fault {
        /** Every read and write fails. */
        public DiskErrors(NodeSelector nodes) {
            this(nodes, true, true, null);
        }

        /** The same errors on other nodes. */
        public DiskErrors on(NodeSelector other) {
            return new DiskErrors(other, reads, writes, sector);
        }

        @Override
        public String toString() {
            String io = reads && writes ? "read and write" : reads ? "read" : "write";
            return io + " errors on the data disk of " + nodes + (sector == null ? "" : " at sector " + sector);
        }
    }

    /** Move the nodes' clock by a signed offset. */
    public record SkewClock(NodeSelector nodes, Duration offset) implements Fault {
        @Override
        public String toString() {
            return "skew clock of " + nodes + " by " + offset.toMillis() + " ms";
        }
    }
}
