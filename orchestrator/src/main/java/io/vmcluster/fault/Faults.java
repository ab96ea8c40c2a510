package io.vmcluster.fault;

import io.vmcluster.events.EventKind;
import io.vmcluster.events.EventSink;
import io.vmcluster.qmp.IoThrottle;
import io.vmcluster.resource.Closer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fault vocabulary of one running cluster. Every method applies its fault before returning
 * and records a {@code fault.start} event; the returned {@link Fault} undoes it on close and
 * records {@code fault.end}. A fault that cannot be applied throws {@link FaultException} naming
 * the node and the reason, and records {@code fault.error}.
 *
 * <p>{@link #heal()} undoes every network fault; {@link #close()} undoes everything still open,
 * newest first, so a cluster closed mid-fault leaves no rule, qdisc or throttle behind.
 */
public final class Faults implements AutoCloseable {
    /** The bound of a service-map command (stop, start) when the caller names none. */
    static final Duration SERVICE_TIMEOUT = Duration.ofSeconds(60);

    private final FaultCluster cluster;
    private final EventSink events;
    private final NetworkCuts cuts;
    private final NetemImpairments netem;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, FaultHandle> open = new LinkedHashMap<>();
    /** The netem ids of the standing WAN impairments, see {@link #wan(Map)}. */
    private final List<String> wanIds = new ArrayList<>();
    // guarded by this: windows of disruptions made elsewhere (windowStart), oldest first
    private final List<StepWindow> windows = new ArrayList<>();

    public Faults(FaultCluster cluster, EventSink events) {
        this.cluster = cluster;
        this.events = events;
        this.cuts = new NetworkCuts(cluster);
        this.netem = new NetemImpairments(cluster);
    }

    // ---- fault values ------------------------------------------------------------------------

    /**
     * Applies a fault value whose node references are resolved to node names: one handle per
     * node it names (per pair for one-way cuts and pair impairments; pairs of a node with itself
     * are skipped), in the order written. If one of them fails, those already applied stay open
     * (as the fault steps always did) and {@link #heal()} or {@link #close()} undoes them.
     *
     * <p>Instant faults ({@link FaultSpec#instant()}: reset, kill a process) happen before this
     * returns and add no handle.
     *
     * <p>This is the one walk over {@link FaultSpec}: the scenario runner, the Java API and
     * schedules all come through here. Commands in a guest (clock, kill, service map) are bounded
     * by each method's default; {@link #apply(FaultSpec, Duration)} names the bound.
     */
    public List<Fault> apply(FaultSpec<List<String>> spec) {
        return apply(spec, Optional.empty());
    }

    /**
     * {@link #apply(FaultSpec)}, with every command this fault runs in a guest (setting the clock,
     * killing a process, the service map's stop) bounded by {@code guestTimeout} (nominal, scaled
     * by the cluster's timing like every bound); host-side actions (nftables, tc, QMP) keep their
     * own short bounds.
     */
    public List<Fault> apply(FaultSpec<List<String>> spec, Duration guestTimeout) {
        return apply(spec, Optional.of(guestTimeout));
    }

    private List<Fault> apply(FaultSpec<List<String>> spec, Optional<Duration> guestTimeout) {
        Duration shell = guestTimeout.orElse(NodeFaultActions.SHELL_TIMEOUT);
        Duration service = guestTimeout.orElse(SERVICE_TIMEOUT);
        List<Fault> made = new ArrayList<>();
        if (spec instanceof FaultSpec.PartitionGroups<List<String>> p) {
            made.add(partition(Partition.ofGroups(p.groups())));
        } else if (spec instanceof FaultSpec.ShapedPartition<List<String>> s) {
            made.add(partition(s.shape(), s.seed()));
        } else if (spec instanceof FaultSpec.Isolate<List<String>> i) {
            i.nodes().forEach(n -> made.add(isolate(n)));
        } else if (spec instanceof FaultSpec.CutNic<List<String>> c) {
            c.nodes().forEach(n -> made.add(cutNic(n)));
        } else if (spec instanceof FaultSpec.CutOneWay<List<String>> c) {
            for (String from : c.from()) {
                for (String to : c.to()) {
                    if (!from.equals(to)) made.add(cutOneWay(from, to));
                }
            }
        } else if (spec instanceof FaultSpec.Impair<List<String>> i) {
            for (String from : i.nodes()) {
                if (i.to() == null) {
                    made.add(impair(ImpairmentTarget.node(from), i.impairment()));
                } else {
                    for (String to : i.to()) {
                        if (!from.equals(to)) made.add(impair(ImpairmentTarget.pair(from, to), i.impairment()));
                    }
                }
            }
        } else if (spec instanceof FaultSpec.PacketCapture<List<String>> c) {
            for (String n : c.nodes()) {
                cluster.node(n).nics().forEach(nic -> made.add(capture(n, nic.nicId())));
            }
        } else if (spec instanceof FaultSpec.SlowDisk<List<String>> s) {
            s.nodes().forEach(n -> made.add(slowDisk(n, s.limits())));
        } else if (spec instanceof FaultSpec.FailDisk<List<String>> d) {
            d.nodes().forEach(n -> made.add(diskErrors(n, d.errors())));
        } else if (spec instanceof FaultSpec.SkewClock<List<String>> s) {
            s.nodes().forEach(n -> made.add(skewClock(n, s.offset(), shell)));
        } else if (spec instanceof FaultSpec.Pause<List<String>> p) {
            p.nodes().forEach(n -> made.add(pause(n)));
        } else if (spec instanceof FaultSpec.Crash<List<String>> c) {
            c.nodes().forEach(n -> made.add(crash(n)));
        } else if (spec instanceof FaultSpec.Shutdown<List<String>> s) {
            s.nodes().forEach(n -> made.add(shutdown(n)));
        } else if (spec instanceof FaultSpec.Reset<List<String>> r) {
            r.nodes().forEach(this::reset);
        } else if (spec instanceof FaultSpec.WipeDisk<List<String>> w) {
            w.nodes().forEach(this::wipeDisk);
        } else if (spec instanceof FaultSpec.StopService<List<String>> s) {
            s.nodes().forEach(n -> made.add(stopService(n, s.service(), service)));
        } else if (spec instanceof FaultSpec.KillProcess<List<String>> k) {
            k.nodes().forEach(n -> killProcess(n, k.process(), shell));
        } else {
            throw new IllegalArgumentException("unsupported fault " + spec);
        }
        return made;
    }

    // ---- network ---------------------------------------------------------------------------

    /** Pulls the cable of every NIC of {@code node} (QMP {@code set_link off}): the guest sees carrier loss. */
    public Fault cutNic(String node) {
        FaultTarget t = cluster.node(node);
        List<String> nicIds = t.nics().stream().map(NodeNic::nicId).toList();
        return inEffect(
                FaultKind.NIC_CUT,
                node,
                node,
                Map.of("nics", nicIds),
                null,
                () -> NodeFaultActions.cutNic(t, t.nics()));
    }

    /** Pulls the cable of one NIC of {@code node}. */
    public Fault cutNic(String node, String nicId) {
        FaultTarget t = cluster.node(node);
        NodeNic nic = t.nic(nicId);
        return inEffect(
                FaultKind.NIC_CUT,
                node,
                node,
                Map.of("nics", List.of(nicId)),
                null,
                () -> NodeFaultActions.cutNic(t, List.of(nic)));
    }

    /**
     * Silently partitions the switch: frames between nodes of different groups vanish, NICs stay
     * up. Nodes named in no group stay connected to all.
     */
    @SafeVarargs
    public final Fault partition(Collection<String>... groups) {
        return partition(Partition.ofGroups(List.of(groups)));
    }

    /** Applies a partition value (from groups, a {@link PartitionShape}, or one-way links). */
    public Fault partition(Partition partition) {
        partition.nodes().forEach(cluster::node); // unknown names fail here, listing the nodes
        FaultKind kind = partition.kind();
        Map<String, Object> params = new LinkedHashMap<>(partition.params());
        params.put("cuts", partition.cuts().stream().map(Link::toString).toList());
        params.put("table", cuts.table());
        params.put("keepArp", partition.keepArp());
        return inEffect(kind, partition.description(), null, params, FaultMethod.NFTABLES_BRIDGE, id -> {
            cuts.add(id, partition, kind, partition.description());
            return () -> cuts.remove(id, kind, partition.description());
        });
    }

    /** Frames from {@code from} to {@code to} vanish; {@code to} still reaches {@code from}. */
    public Fault cutOneWay(String from, String to) {
        return partition(Partition.oneWay(from, to));
    }

    /** Cuts {@code node} off from every other node (silently; its NICs stay up). */
    public Fault isolate(String node) {
        List<String> others =
                cluster.nodeNames().stream().filter(n -> !n.equals(node)).toList();
        cluster.node(node);
        return partition(List.of(node), others);
    }

    /** A named shape over all nodes, shuffled by {@code seed} (recorded in the event). */
    public Fault partition(PartitionShape shape, long seed) {
        return partition(shape.apply(cluster.nodeNames(), seed));
    }

    /** Impairs the target's frames, choosing the method automatically (host netem, else guest). */
    public Fault impair(ImpairmentTarget target, Impairment impairment) {
        return impair(target, impairment, ImpairmentMethod.AUTO);
    }

    /** Impairs everything {@code node} sends. */
    public Fault impair(String node, Impairment impairment) {
        return impair(ImpairmentTarget.node(node), impairment);
    }

    /** Impairs the target's frames with the given method; the method used is in the event. */
    public Fault impair(ImpairmentTarget target, Impairment impairment, ImpairmentMethod method) {
        cluster.node(target.from());
        target.to().ifPresent(cluster::node);
        impairment.netemArgs(); // fails on an empty impairment before anything is touched
        String where = target.toString();
        ImpairmentMethod used = netem.choose(method, where);
        Map<String, Object> params = new LinkedHashMap<>(impairment.params());
        params.put("netem", String.join(" ", impairment.netemArgs()));
        String node = target.to().isEmpty() ? target.from() : null;
        return inEffect(FaultKind.IMPAIRMENT, where, node, params, used.used(), id -> {
            netem.add(id, target, impairment, used);
            return () -> netem.remove(id, where);
        });
    }

    // ---- WAN: standing impairments of the topology ----------------------------------------

    /**
     * Sets the cluster's WAN: what each directed node pair sends goes through its impairment
     * (docs/clusters.md, "Regions and WAN latency"). These are part of the topology, not faults:
     * {@link #heal()} and {@link #active()} leave them alone, another call replaces them all, an
     * empty map removes them, {@link #close()} removes them. Records {@code wan.set}.
     *
     * @param routes each directed pair (from, to) and what its frames go through
     */
    public void wan(Map<ImpairmentTarget, Impairment> routes) {
        synchronized (wanIds) {
            long t0 = System.nanoTime();
            for (ImpairmentTarget t : routes.keySet()) {
                cluster.node(t.from());
                t.to().ifPresent(cluster::node);
            }
            for (String id : wanIds) {
                netem.remove(id, "wan");
            }
            wanIds.clear();
            ImpairmentMethod used = null;
            List<String> applied = new ArrayList<>();
            for (Map.Entry<ImpairmentTarget, Impairment> e : routes.entrySet()) {
                String where = e.getKey().toString();
                used = netem.choose(ImpairmentMethod.AUTO, where);
                String id = "wan" + ids.incrementAndGet();
                wanIds.add(id);
                netem.add(id, e.getKey(), e.getValue(), used);
                applied.add(where + ": " + String.join(" ", e.getValue().netemArgs()));
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("routes", applied);
            if (used != null) fields.put("method", used.used().wireName());
            fields.put("applyMs", (System.nanoTime() - t0) / 1e6);
            events.record(EventKind.WAN_SET, null, fields);
        }
    }

    /**
     * Puts back what lives inside {@code node}'s guest and is lost when it boots again: the
     * impairments applied there (guest netem), WAN and faults alike. Call it once the node is
     * ready after a start, restart or reset (the crash and shutdown faults do so on close); a
     * snapshot restore calls it for every node, since the guest then holds the snapshot's qdiscs.
     */
    public void rebooted(String node) {
        cluster.node(node);
        netem.rewriteGuest(node);
    }

    /**
     * Captures the frames of one NIC into {@code <run dir>/captures/<node>-<nic>-<id>.pcap}
     * (QEMU {@code filter-dump}) until closed. The file is in the params and the start event.
     */
    public Fault capture(String node, String nicId) {
        FaultTarget t = cluster.node(node);
        NodeNic nic = t.nic(nicId);
        Path dir = cluster.runDirectory().resolve("captures");
        // the file name holds the fault id, known only inside apply: the action adds it to the
        // params, which inEffect() reads after the action ran
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("nic", nicId);
        return inEffect(FaultKind.CAPTURE, node, node, params, FaultMethod.QEMU_FILTER_DUMP, id -> {
            Path file = dir.resolve(node + "-" + nicId + "-" + id + ".pcap").toAbsolutePath();
            params.put("file", file.toString());
            try {
                Files.createDirectories(dir);
            } catch (java.io.IOException e) {
                throw new FaultException(FaultKind.CAPTURE, node, "cannot create " + dir + ": " + e.getMessage(), e);
            }
            return NodeFaultActions.capture(t, nic, "vmc-capture-" + id, file.toString(), 0);
        });
    }

    /** Undoes every open network fault (NIC cuts, partitions, one-way cuts, impairments), newest first. */
    public void heal() {
        closeAll(true);
        cuts.clear();
    }

    // ---- VM ---------------------------------------------------------------------------------

    /** Freezes all vCPUs (QMP {@code stop}); close resumes them. The guest clock lags afterwards. */
    public Fault pause(String node) {
        NodeLifecycle life = cluster.node(node).lifecycle();
        return inEffect(FaultKind.PAUSE, node, node, Map.of(), FaultMethod.QMP_STOP, () -> {
            life.pause();
            return life::resume;
        });
    }

    /** Power loss: QEMU is killed, unflushed writes are lost; close restarts the node on the same disks. */
    public Fault crash(String node) {
        NodeLifecycle life = cluster.node(node).lifecycle();
        return inEffect(FaultKind.CRASH, node, node, Map.of(), FaultMethod.KILL_QEMU, () -> {
            life.crash();
            return () -> {
                life.restart();
                rebooted(node);
            };
        });
    }

    /** Graceful power-down (forced off after the cluster's bound); close starts the node again. */
    public Fault shutdown(String node) {
        NodeLifecycle life = cluster.node(node).lifecycle();
        return inEffect(FaultKind.SHUTDOWN, node, node, Map.of(), FaultMethod.QMP_POWERDOWN, () -> {
            life.shutdown();
            return () -> {
                life.restart();
                rebooted(node);
            };
        });
    }

    /** Hard reset (QMP {@code system_reset}); instantaneous, recorded as {@code fault.instant}. */
    public void reset(String node) {
        NodeLifecycle life = cluster.node(node).lifecycle();
        instant(FaultKind.RESET, node, Map.of(), life::reset);
    }

    // ---- disk, clock, guest -----------------------------------------------------------------

    /**
     * The data disk of {@code node} is lost: power loss, a blank disk of the same size in its
     * place, the node booted again and ready when this returns (guest netem put back);
     * instantaneous, recorded as {@code fault.instant}. Nothing undoes it but a restore from a
     * backup ({@code Cluster.restoreBackup}).
     */
    public void wipeDisk(String node) {
        FaultTarget t = cluster.node(node);
        if (t.dataDisk().isEmpty()) {
            throw new FaultException(FaultKind.WIPE_DISK, node, "the node has no data disk to wipe");
        }
        instant(FaultKind.WIPE_DISK, node, Map.of(), FaultMethod.BLANK_DISK, () -> {
            t.lifecycle().wipeDisk();
            rebooted(node);
        });
    }

    /** Throttles the data disk; close lifts the limits. */
    public Fault slowDisk(String node, IoThrottle limits) {
        FaultTarget t = cluster.node(node);
        return inEffect(
                FaultKind.SLOW_DISK,
                node,
                node,
                Map.of("limits", limits),
                FaultMethod.QMP_IO_THROTTLE,
                () -> NodeFaultActions.slowDisk(t, limits));
    }

    /** Every read and write of the data disk fails with EIO until close. */
    public Fault diskErrors(String node) {
        return diskErrors(node, DiskErrors.all());
    }

    /**
     * The data disk's requests named by {@code errors} fail with EIO until close (blkdebug
     * inserted above the qcow2 image; the guest kernel logs {@code I/O error, dev vdX}).
     */
    public Fault diskErrors(String node, DiskErrors errors) {
        FaultTarget t = cluster.node(node);
        return inEffect(
                FaultKind.DISK_ERRORS,
                node,
                node,
                errors.params(),
                FaultMethod.BLKDEBUG_REOPEN,
                id -> NodeFaultActions.diskErrors(t, "vmc-blkdebug-" + id, errors));
    }

    /** Sets the guest clock to true time plus {@code offset}; close sets it to true time. */
    public Fault skewClock(String node, Duration offset) {
        return skewClock(node, offset, NodeFaultActions.SHELL_TIMEOUT);
    }

    /** {@link #skewClock(String, Duration)}, each guest command (set, undo) bounded by {@code timeout}. */
    public Fault skewClock(String node, Duration offset, Duration timeout) {
        FaultTarget t = cluster.node(node);
        return inEffect(
                FaultKind.CLOCK_SKEW,
                node,
                node,
                Map.of("offsetMs", offset.toMillis()),
                FaultMethod.GUEST_DATE,
                () -> NodeFaultActions.skewClock(t, offset, timeout));
    }

    /** SIGKILLs every process called {@code name} in the guest; returns their pids. */
    public List<Long> killProcess(String node, String name) {
        return killProcess(node, name, NodeFaultActions.SHELL_TIMEOUT);
    }

    /** {@link #killProcess(String, String)} with the guest command bounded by {@code timeout}. */
    public List<Long> killProcess(String node, String name, Duration timeout) {
        FaultTarget t = cluster.node(node);
        List<List<Long>> pids = new ArrayList<>();
        instant(
                FaultKind.KILL_PROCESS,
                node,
                Map.of("process", name),
                () -> pids.add(NodeFaultActions.killProcess(t, name, timeout)));
        return pids.get(0);
    }

    /** Stops a service through the image's service map; close starts it again. */
    public Fault stopService(String node, String service) {
        return stopService(node, service, SERVICE_TIMEOUT);
    }

    /** {@link #stopService(String, String)}, the stop and the start on close each bounded by {@code timeout}. */
    public Fault stopService(String node, String service, Duration timeout) {
        NodeLifecycle life = cluster.node(node).lifecycle();
        return inEffect(FaultKind.STOP_SERVICE, node, node, Map.of("service", service), FaultMethod.SERVICE_MAP, () -> {
            life.stopService(service, timeout);
            return () -> life.startService(service, timeout);
        });
    }

    // ---- windows of disruptions made elsewhere ----------------------------------------------

    /**
     * Records that a disruption made without this class began: a node lifecycle step (pause,
     * crash, shutdown, a restart or reset until ready) or a service step (stop). The {@code
     * fault.start} event is the one a fault records (its id from the same sequence, {@code
     * applyMs}), so checkers, {@code events.jsonl} readers and the report see the window; there is
     * nothing to undo, so {@link #heal()} and {@link #close()} leave it alone: the step that ends
     * the disruption (resume, start, restart, start service) calls {@link #windowEnd}. A window of
     * the same kind, node and params already open is kept, and nothing is recorded.
     *
     * @param began when the disruption began ({@link System#nanoTime()}), for {@code applyMs}
     * @return the window's fault id
     */
    public String windowStart(FaultKind kind, String node, Map<String, Object> params, FaultMethod method, long began) {
        synchronized (this) {
            for (StepWindow w : windows) {
                if (w.kind() == kind && w.node().equals(node) && w.params().equals(params)) {
                    return w.id();
                }
            }
            String id = "f" + ids.incrementAndGet();
            Map<String, Object> fields = fields(id, kind, node, params, method);
            fields.put("applyMs", (System.nanoTime() - began) / 1e6);
            windows.add(new StepWindow(id, kind, node, Map.copyOf(params), System.nanoTime()));
            events.record(EventKind.FAULT_START, node, fields);
            return id;
        }
    }

    /**
     * Ends every window {@link #windowStart} opened on {@code node} whose kind is one of {@code
     * kinds} (and, when {@code params} is not null, whose params are these): one {@code fault.end}
     * each. None open: nothing happens.
     *
     * @param began when the ending action began ({@link System#nanoTime()}), for {@code undoMs}
     * @return how many windows were ended
     */
    public int windowEnd(String node, java.util.Set<FaultKind> kinds, Map<String, Object> params, long began) {
        synchronized (this) {
            int n = 0;
            for (java.util.Iterator<StepWindow> it = windows.iterator(); it.hasNext(); ) {
                StepWindow w = it.next();
                if (!w.node().equals(node)
                        || !kinds.contains(w.kind())
                        || (params != null && !w.params().equals(params))) {
                    continue;
                }
                it.remove();
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("fault", w.id());
                fields.put("faultKind", w.kind().wireName());
                fields.put("target", w.node());
                fields.put("undoMs", (System.nanoTime() - began) / 1e6);
                fields.put(
                        "durationMs",
                        Duration.ofNanos(System.nanoTime() - w.startNanos()).toMillis());
                events.record(EventKind.FAULT_END, node, fields);
                n++;
            }
            return n;
        }
    }

    /** Whether a window of one of {@code kinds} is open on {@code node}. */
    public synchronized boolean windowOpen(String node, java.util.Set<FaultKind> kinds) {
        return windows.stream().anyMatch(w -> w.node().equals(node) && kinds.contains(w.kind()));
    }

    private record StepWindow(String id, FaultKind kind, String node, Map<String, Object> params, long startNanos) {}

    // ---- bookkeeping ------------------------------------------------------------------------

    /** The faults still in effect, oldest first. */
    public synchronized List<Fault> active() {
        return List.copyOf(open.values());
    }

    /**
     * Undoes every fault still open, newest first, and removes the nftables table; throws the
     * first failure after trying all. The object stays usable.
     */
    @Override
    public void close() {
        Closer closer = new Closer();
        closer.run(() -> closeAll(false));
        closer.run(() -> {
            synchronized (wanIds) {
                if (!wanIds.isEmpty()) wan(Map.of());
            }
        });
        closer.run(cuts::clear);
        closer.throwIfFailed();
    }

    private void closeAll(boolean networkOnly) {
        List<FaultHandle> handles;
        synchronized (this) {
            handles = new ArrayList<>(open.values());
        }
        Closer.closeInReverse(
                handles.stream().filter(h -> !networkOnly || h.kind().network()).toList());
    }

    /** Called by a handle once undone. */
    synchronized void ended(FaultHandle h, Map<String, Object> fields) {
        open.remove(h.id());
        events.record(EventKind.FAULT_END, h.node(), fields);
    }

    private interface Apply {
        FaultHandle.Undo apply(String faultId);
    }

    private interface SimpleApply {
        FaultHandle.Undo apply();
    }

    private Fault inEffect(
            FaultKind kind,
            String target,
            String node,
            Map<String, Object> params,
            FaultMethod method,
            SimpleApply action) {
        return inEffect(kind, target, node, params, method, id -> action.apply());
    }

    private Fault inEffect(
            FaultKind kind, String target, String node, Map<String, Object> params, FaultMethod method, Apply action) {
        String id = "f" + ids.incrementAndGet();
        long t0 = System.nanoTime();
        FaultHandle.Undo undo;
        try {
            undo = action.apply(id);
        } catch (RuntimeException e) {
            Map<String, Object> fields = fields(id, kind, target, params, method);
            fields.put("error", String.valueOf(e.getMessage()));
            events.record(EventKind.FAULT_ERROR, node, fields);
            throw e instanceof FaultException fe ? fe : new FaultException(kind, target, e.getMessage(), e);
        }
        Map<String, Object> fields = fields(id, kind, target, params, method);
        fields.put("applyMs", (System.nanoTime() - t0) / 1e6);
        FaultHandle h = new FaultHandle(this, id, kind, target, node, params, undo);
        synchronized (this) {
            open.put(id, h);
        }
        events.record(EventKind.FAULT_START, node, fields);
        return h;
    }

    private void instant(FaultKind kind, String node, Map<String, Object> params, Runnable action) {
        instant(kind, node, params, null, action);
    }

    private void instant(FaultKind kind, String node, Map<String, Object> params, FaultMethod method, Runnable action) {
        String id = "f" + ids.incrementAndGet();
        long t0 = System.nanoTime();
        Map<String, Object> fields = fields(id, kind, node, params, method);
        try {
            action.run();
        } catch (RuntimeException e) {
            fields.put("error", String.valueOf(e.getMessage()));
            events.record(EventKind.FAULT_ERROR, node, fields);
            throw e instanceof FaultException fe ? fe : new FaultException(kind, node, e.getMessage(), e);
        }
        fields.put("applyMs", (System.nanoTime() - t0) / 1e6);
        events.record(EventKind.FAULT_INSTANT, node, fields);
    }

    private static Map<String, Object> fields(
            String id, FaultKind kind, String target, Map<String, Object> params, FaultMethod method) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("fault", id);
        f.put("faultKind", kind.wireName());
        f.put("target", target);
        if (method != null) {
            f.put("method", method.wireName());
        }
        f.put("params", params);
        return f;
    }
}
