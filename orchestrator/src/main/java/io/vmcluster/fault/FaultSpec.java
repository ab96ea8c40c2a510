package io.vmcluster.fault;

import io.vmcluster.qmp.IoThrottle;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A fault to inject, as a value: the one fault vocabulary of the scenario language, the Java API
 * and anything that schedules faults. {@code N} is how a spec names nodes: a scenario step holds
 * a spec over its unresolved node selectors, and {@link #map} resolves them in one step (to
 * {@code List<String>}, the node names), after which {@link Faults#apply(FaultSpec)} puts it in
 * place.
 *
 * <p>A spec names one or more nodes per selector; {@link Faults#apply(FaultSpec)} applies it to
 * each (one handle per node, or per pair for one-way cuts and pair impairments).
 *
 * @param <N> a reference to some nodes: a selector before resolution, a list of names after
 */
public sealed interface FaultSpec<N>
        permits FaultSpec.PartitionGroups,
                FaultSpec.ShapedPartition,
                FaultSpec.Isolate,
                FaultSpec.CutNic,
                FaultSpec.CutOneWay,
                FaultSpec.Impair,
                FaultSpec.PacketCapture,
                FaultSpec.SlowDisk,
                FaultSpec.FailDisk,
                FaultSpec.SkewClock,
                FaultSpec.Pause,
                FaultSpec.Crash,
                FaultSpec.Shutdown,
                FaultSpec.Reset,
                FaultSpec.WipeDisk,
                FaultSpec.StopService,
                FaultSpec.KillProcess {

    /** The same fault with every node reference replaced by {@code resolve}'s answer for it. */
    <M> FaultSpec<M> map(Function<? super N, ? extends M> resolve);

    /** What the fault does; what its events call it. */
    FaultKind kind();

    /**
     * True for a fault that happens at once and leaves nothing to undo (a reset, a killed
     * process): {@link Faults#apply(FaultSpec)} returns no handle for it.
     */
    default boolean instant() {
        return false;
    }

    /** Silent switch partition into groups; nodes named in no group stay connected to all. */
    record PartitionGroups<N>(List<N> groups) implements FaultSpec<N> {
        public PartitionGroups {
            groups = List.copyOf(groups);
        }

        @Override
        public FaultKind kind() {
            return FaultKind.PARTITION;
        }

        @Override
        public <M> FaultSpec<M> map(Function<? super N, ? extends M> resolve) {
            return new PartitionGroups<M>(groups.stream().<M>map(resolve).toList());
        }

        @Override
        public String toString() {
            return "partition " + groups.stream().map(g -> "[" + show(g) + "]").toList();
        }
    }

    /** A named {@link PartitionShape} over all nodes, shuffled by {@code seed}. */
    record ShapedPartition<N>(PartitionShape shape, long seed) implements FaultSpec<N> {
        public ShapedPartition {
            Objects.requireNonNull(shape, "shape");
        }

        @Override
        public FaultKind kind() {
            return FaultKind.PARTITION;
        }

        @Override
        public <M> FaultSpec<M> map(Function<? super N, ? extends M> resolve) {
            return new ShapedPartition<M>(shape, seed);
        }

        @Override
        public String toString() {
            return "partition " + shape.name().toLowerCase(java.util.Locale.ROOT) + " (seed " + seed + ")";
        }
    }

    /** Cut the given nodes off from every other node (silently, at the switch). */
    record Isolate<N>(N nodes) implements FaultSpec<N> {
        @Override
        public FaultKind kind() {
            return FaultKind.PARTITION;
        }

        @Override
        public <M> FaultSpec<M> map(Function<? super N, ? extends M> resolve) {
            return new Isolate<M>(resolve.apply(nodes));
        }

        @Override
        public String toString() {
            return "isolate " + show(nodes);
        }
    }

    /** NIC link down (QMP set_link off) on every NIC: the guest sees carrier loss. */
    record CutNic<N>(N nodes) implements FaultSpec<N> {
        @Override
        public FaultKind kind() {
            return FaultKind.NIC_CUT;
        }

        @Override
        public <M> FaultSpec<M> map(Function<? super N, ? extends M> resolve) {
            return new CutNic<M>(resolve.apply(nodes));
        }

        @Override
        public String toString() {
            return "cut nic of " + show(nodes);
        }
    }

    /** Frames from {@code from} to {@code to} are dropped; the other way still works. */
    record CutOneWay<N>(N from, N to) implements FaultSpec<N> {
        @Override
        public FaultKind kind() {
            return FaultKind.ONE_WAY_CUT;
        }

        @Override
        public <M> FaultSpec<M> map(Function<? super N, ? extends M> resolve) {
            return new CutOneWay<M>(resolve.apply(from), resolve.apply(to));
        }

        @Override
        public String toString() {
            return "cut one way " + show(from) + " -> " + show(to);
        }
    }

    /**
     * Impair everything {@code nodes} send, or only what they send to {@code to} when {@code to}
     * is not null.
     */
    record Impair<N>(N nodes, N to, Impairment impairment) implements FaultSpec<N> {
        public Impair {
            Objects.requireNonNull(impairment, "impairment");
        }

        @Override
        public FaultKind kind() {
            return FaultKind.IMPAIRMENT;
        }

        @Override
        public <M> FaultSpec<M> map(Function<? super N, ? extends M> resolve) {
            return new Impair<M>(resolve.apply(nodes), to == null ? null : resolve.apply(to), impairment);
        }

        @Override
        public String toString() {
            return "impair " + show(nodes) + (to == null ? "" : " -> " + show(to)) + ": " + impairment.describe();
        }
    }

    /** Record every NIC's traffic into {@code captures/<node>-<nic>-<id>.pcap} in the run directory. */
    record PacketCapture<N>(N nodes) implements FaultSpec<N> {
        @Override
        public FaultKind kind() {
            return FaultKind.CAPTURE;
        }

        @Override
        public <M> FaultSpec<M> map(Function<? super N, ? extends M> resolve) {
            return new PacketCapture<M>(resolve.apply(nodes));
        }

        @Override
        public String toString() {
            return "packet capture on " + show(nodes);
        }
    }

    /** Throttle the data disk. */
    record SlowDisk<N>(N nodes, IoThrottle limits) implements FaultSpec<N> {
        public SlowDisk {
            Objects.requireNonNull(limits, "limits");
        }

        @Override
        public FaultKind kind() {
            return FaultKind.SLOW_DISK;
        }

        @Override
        public <M> FaultSpec<M> map(Function<? super N, ? extends M> resolve) {
            return new SlowDisk<M>(resolve.apply(nodes), limits);
        }

        @Override
        public String toString() {
            return "slow disk on " + show(nodes) + " (iops " + orNull(limits.iops()) + ", bytes/s "
                    + orNull(limits.bps()) + ")";
        }

        private static Object orNull(long limit) {
            return limit == 0 ? null : limit;
        }
    }

    /** EIO on the data disk for the requests {@code errors} names. */
    record FailDisk<N>(N nodes, DiskErrors errors) implements FaultSpec<N> {
        public FailDisk {
            Objects.requireNonNull(errors, "errors");
        }

        @Override
        public FaultKind kind() {
            return FaultKind.DISK_ERRORS;
        }

        @Override
        public <M> FaultSpec<M> map(Function<? super N, ? extends M> resolve) {
            return new FailDisk<M>(resolve.apply(nodes), errors);
        }

        @Override
        public String toString() {
            String io = errors.reads() && errors.writes() ? "read and write" : errors.reads() ? "read" : "write";
            return io + " errors on the data disk of " + show(nodes)
                    + (errors.sector().isEmpty()
                            ? ""
                            : " at sector " + errors.sector().getAsLong());
        }
    }

    /** Move the nodes' clock by a signed offset. */
    record SkewClock<N>(N nodes, Duration offset) implements FaultSpec<N> {
        public SkewClock {
            Objects.requireNonNull(offset, "offset");
        }

        @Override
        public FaultKind kind() {
            return FaultKind.CLOCK_SKEW;
        }

        @Override
        public <M> FaultSpec<M> map(Function<? super N, ? extends M> resolve) {
            return new SkewClock<M>(resolve.apply(nodes), offset);
        }

        @Override
        public String toString() {
            return "skew clock of " + show(nodes) + " by " + offset.toMillis() + " ms";
        }
    }

    /** All vCPUs frozen (QMP {@code stop}) until undone ({@code cont}). */
    record Pause<N>(N nodes) implements FaultSpec<N> {
        @Override
        public FaultKind kind() {
            return FaultKind.PAUSE;
        }

        @Override
        public <M> FaultSpec<M> map(Function<? super N, ? extends M> resolve) {
            return new Pause<M>(resolve.apply(nodes));
        }

        @Override
        public String toString() {
            return "pause " + show(nodes);
        }
    }

    /** Power loss (QEMU killed) until undone, which starts the node again on the same disks. */
    record Crash<N>(N nodes) implements FaultSpec<N> {
        @Override
        public FaultKind kind() {
            return FaultKind.CRASH;
        }

        @Override
        public <M> FaultSpec<M> map(Function<? super N, ? extends M> resolve) {
            return new Crash<M>(resolve.apply(nodes));
        }

        @Override
        public String toString() {
            return "crash " + show(nodes);
        }
    }

    /** Graceful power-down until undone, which starts the node again. */
    record Shutdown<N>(N nodes) implements FaultSpec<N> {
        @Override
        public FaultKind kind() {
            return FaultKind.SHUTDOWN;
        }

        @Override
        public <M> FaultSpec<M> map(Function<? super N, ? extends M> resolve) {
            return new Shutdown<M>(resolve.apply(nodes));
        }

        @Override
        public String toString() {
            return "shut down " + show(nodes);
        }
    }

    /** Hard reset (QMP {@code system_reset}); instantaneous. */
    record Reset<N>(N nodes) implements FaultSpec<N> {
        @Override
        public FaultKind kind() {
            return FaultKind.RESET;
        }

        @Override
        public boolean instant() {
            return true;
        }

        @Override
        public <M> FaultSpec<M> map(Function<? super N, ? extends M> resolve) {
            return new Reset<M>(resolve.apply(nodes));
        }

        @Override
        public String toString() {
            return "reset " + show(nodes);
        }
    }

    /**
     * The data disk lost entirely: power loss, a blank disk in its place, the node booted again
     * (ready when this returns); instantaneous.
     */
    record WipeDisk<N>(N nodes) implements FaultSpec<N> {
        @Override
        public FaultKind kind() {
            return FaultKind.WIPE_DISK;
        }

        @Override
        public boolean instant() {
            return true;
        }

        @Override
        public <M> FaultSpec<M> map(Function<? super N, ? extends M> resolve) {
            return new WipeDisk<M>(resolve.apply(nodes));
        }

        @Override
        public String toString() {
            return "wipe the data disk of " + show(nodes);
        }
    }

    /** A service stopped through the image's service map until undone (started again). */
    record StopService<N>(N nodes, String service) implements FaultSpec<N> {
        public StopService {
            Objects.requireNonNull(service, "service");
        }

        @Override
        public FaultKind kind() {
            return FaultKind.STOP_SERVICE;
        }

        @Override
        public <M> FaultSpec<M> map(Function<? super N, ? extends M> resolve) {
            return new StopService<M>(resolve.apply(nodes), service);
        }

        @Override
        public String toString() {
            return "stop service " + service + " on " + show(nodes);
        }
    }

    /** Every process called {@code process} SIGKILLed; instantaneous. */
    record KillProcess<N>(N nodes, String process) implements FaultSpec<N> {
        public KillProcess {
            Objects.requireNonNull(process, "process");
        }

        @Override
        public FaultKind kind() {
            return FaultKind.KILL_PROCESS;
        }

        @Override
        public boolean instant() {
            return true;
        }

        @Override
        public <M> FaultSpec<M> map(Function<? super N, ? extends M> resolve) {
            return new KillProcess<M>(resolve.apply(nodes), process);
        }

        @Override
        public String toString() {
            return "kill process " + process + " on " + show(nodes);
        }
    }

    /** A node reference as text: a list of names joined by commas, anything else as itself. */
    private static String show(Object nodes) {
        if (nodes instanceof Collection<?> c) {
            return String.join(", ", c.stream().map(String::valueOf).toList());
        }
        return String.valueOf(nodes);
    }
}
