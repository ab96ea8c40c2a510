package io.vmcluster.cluster;

import io.vmcluster.channel.SshKeys;
import io.vmcluster.cluster.spec.ClusterSpec;
import io.vmcluster.cluster.spec.NicSpec;
import io.vmcluster.cluster.spec.NodeSpec;
import io.vmcluster.cluster.spec.Segment;
import io.vmcluster.events.EventKind;
import io.vmcluster.events.EventSink;
import io.vmcluster.events.JsonLinesEventSink;
import io.vmcluster.image.ImageManifest;
import io.vmcluster.network.Bridge;
import io.vmcluster.network.InterfaceName;
import io.vmcluster.network.IpPrefix;
import io.vmcluster.network.NetworkNamespace;
import io.vmcluster.qemu.AcceleratorChoice;
import io.vmcluster.qemu.KvmProbe;
import io.vmcluster.reaper.Run;
import io.vmcluster.resource.Closer;
import io.vmcluster.time.Deadline;
import io.vmcluster.time.Timing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running cluster: its network namespace with one bridge per LAN or link and one tap per NIC,
 * and one QEMU per node, booted in parallel. Closing it stops every QEMU and removes the
 * namespace and the temporary files (also on Ctrl-C/SIGTERM; after {@code kill -9} the child
 * QEMUs die with the JVM and the next run reclaims the rest). Logs stay in {@link #runDir()}.
 *
 * <pre>{@code
 * try (Cluster cluster = Cluster.start(ClusterSpec.builder().nodes(3).build(), RunOptions.defaults())) {
 *     cluster.parallel(n -> n.succeed("ping -c1 node1"));
 *     cluster.node("node2").crash();
 * }
 * }</pre>
 */
public final class Cluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);

    private final ClusterSpec spec;
    private final Run run;
    private final ClusterContext ctx;
    private final Map<String, Node> nodes;
    private final boolean ownsEvents;
    private final ExecutorService pool;
    private volatile boolean closed;
    private ClusterSnapshots snapshots;
    private ClusterBackups backups;
    private ClusterWarmStart warm;
    private final List<Runnable> beforeRestore = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Cluster(ClusterSpec spec, Run run, ClusterContext ctx, Map<String, Node> nodes, boolean ownsEvents) {
        this.spec = spec;
        this.run = run;
        this.ctx = ctx;
        this.nodes = nodes;
        this.ownsEvents = ownsEvents;
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "vmc-cluster-" + spec.name());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Builds the network, boots every node in parallel and waits until all are ready.
     *
     * @throws io.vmcluster.image.InvalidImageException if an image is missing or broken (nothing started)
     * @throws NodeBootException if a node does not come up; everything started is stopped again
     */
    public static Cluster start(ClusterSpec spec, RunOptions options) {
        return start(spec, options, KvmProbe::probe);
    }

    /** {@link #start(ClusterSpec, RunOptions)} with another view of /dev/kvm (tests of the KVM fallback). */
    static Cluster start(ClusterSpec spec, RunOptions options, Supplier<KvmProbe.Result> kvm) {
        if (spec.placement().isDistributed()) {
            throw new io.vmcluster.hosts.HostException("cluster " + spec.name() + " names hosts ("
                    + String.join(
                            ", ",
                            spec.placement().hosts().stream().map(h -> h.name()).toList())
                    + "): this command runs clusters on this machine only; a cluster over several hosts runs"
                    + " in a scenario with vmcluster run, or with io.vmcluster.hosts.HostsCluster"
                    + " (docs/scale-out.md), or remove hosts: and every node's host: to run it here");
        }
        return start(spec, options, kvm, null);
    }

    /**
     * Starts the share of a cluster spread over several hosts that this host runs (the agent of
     * {@code io.vmcluster.hosts} calls it): every bridge, the taps and nodes of {@code share}, its
     * bridges joined to the other hosts' by {@link ClusterShare#join} before any node boots.
     * {@link #nodes()} are this host's nodes only.
     */
    public static Cluster startShare(ClusterSpec spec, RunOptions options, ClusterShare share) {
        return start(spec, options, KvmProbe::probe, java.util.Objects.requireNonNull(share, "share"));
    }

    private static Cluster start(
            ClusterSpec spec, RunOptions options, Supplier<KvmProbe.Result> kvm, ClusterShare share) {
        Map<String, ImageManifest> images = new LinkedHashMap<>();
        List<NodeSpec> here = spec.nodes().stream()
                .filter(n -> share == null || share.nodes().contains(n.name()))
                .toList();
        for (NodeSpec n : here) {
            images.put(n.name(), options.images().resolve(n.image()));
        }
        Run run = Run.start(options.timing());
        Cluster cluster = null;
        EventSink events = null;
        boolean ownsEvents = options.events().isEmpty();
        try {
            Path results = options.resultsDirFor(spec.name(), run.id().value());
            Files.createDirectories(results);
            events = options.events().orElseGet(() -> JsonLinesEventSink.open(results.resolve("events.jsonl")));
            Deadline started = Deadline.after(java.time.Duration.ZERO);
            events.record(
                    EventKind.CLUSTER_START,
                    null,
                    Map.of(
                            "cluster",
                            spec.name(),
                            "run",
                            run.id().value(),
                            "nodes",
                            spec.nodeNames(),
                            "results",
                            results.toString()));
            NetworkNamespace ns = run.createNamespace();
            buildNetwork(ns, spec, share);
            if (share != null) {
                share.join().accept(ns);
            }
            AcceleratorChoice accel = new AcceleratorChoice(options.accelerator(), kvm);
            SshKeys sshKey = SshKeys.generate();
            ClusterContext ctx =
                    new ClusterContext(spec, options, accel, run.launcher(), ns, events, sshKey, run.dir(), results);
            Map<String, Node> nodes = new LinkedHashMap<>();
            for (NodeSpec n : here) {
                nodes.put(n.name(), new Node(n, images.get(n.name()), ctx));
            }
            cluster = new Cluster(spec, run, ctx, nodes, ownsEvents);
            if (options.warmStart().isPresent()) {
                ClusterWarmStart w = new ClusterWarmStart(options.warmStart().get(), ctx, cluster.nodes());
                cluster.warm = w;
                run.closeWithRun(w::close); // closed after the nodes: their QEMUs hold the entry's disks
            }
            run.closeWithRun(cluster::stopNodes);
            for (Node n : nodes.values()) {
                if (n.vncSocket().isEmpty()) continue;
                DisplayRelay relay = DisplayRelay.open(n.name(), n.vncSocket().get());
                run.closeWithRun(relay::close);
                n.display(relay.address());
                events.record(
                        EventKind.NODE_DISPLAY,
                        n.name(),
                        Map.of(
                                "vnc",
                                relay.address().getHostString() + ":"
                                        + relay.address().getPort()));
            }
            boolean warm =
                    cluster.warm != null && options.warmStart().get().use() && cluster.warm.start(cluster::parallel);
            if (!warm) {
                cluster.parallel(n -> {
                    n.start();
                    n.awaitReady();
                });
            }
            events.record(
                    EventKind.CLUSTER_READY,
                    null,
                    Map.of(
                            "cluster",
                            spec.name(),
                            "elapsedMs",
                            started.elapsed().toMillis(),
                            "accelerators",
                            cluster.onAll(n -> n.accelerator().map(Enum::name).orElse("?")),
                            "warm",
                            warm));
            LOG.info(
                    "cluster {} ready in {} ms ({} nodes{}, results in {})",
                    spec.name(),
                    started.elapsed().toMillis(),
                    nodes.size(),
                    warm ? ", started warm" : "",
                    results);
            return cluster;
        } catch (IOException e) {
            closeAfterFailure(cluster, run, events, ownsEvents, e);
            throw new UncheckedIOException("cannot create the results directory: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            closeAfterFailure(cluster, run, events, ownsEvents, e);
            throw e;
        }
    }

    private static void closeAfterFailure(
            Cluster cluster, Run run, EventSink events, boolean ownsEvents, Throwable failure) {
        Closer closer = new Closer();
        if (cluster != null) {
            closer.run(cluster::close);
        } else {
            closer.run(run::close);
            if (events != null && ownsEvents) {
                closer.run(events::close);
            }
        }
        if (closer.failure() != null) {
            failure.addSuppressed(closer.failure());
        }
    }

    private static void buildNetwork(NetworkNamespace ns, ClusterSpec spec, ClusterShare share) {
        int offset = share == null ? 0 : share.index();
        for (Segment s : spec.segments()) {
            InterfaceName name = InterfaceName.of(s.bridgeName());
            Bridge bridge = s.hostAddress().isPresent()
                    ? ns.addBridge(
                            name,
                            IpPrefix.parse(s.hostAddress().get().plus(-offset) + "/"
                                    + s.subnet().prefixLength()))
                    : ns.addBridge(name);
            for (NicSpec nic : s.nics()) {
                if (share != null && !share.nodes().contains(nic.node())) {
                    continue;
                }
                ns.addTap(InterfaceName.of(nic.tapName()), bridge);
            }
        }
    }

    public ClusterSpec spec() {
        return spec;
    }

    /** The nodes in id order. */
    public List<Node> nodes() {
        return List.copyOf(nodes.values());
    }

    /** The node called {@code name}, or an exception listing the valid names. */
    public Node node(String name) {
        Node n = nodes.get(name);
        if (n == null) {
            throw new IllegalArgumentException(ClusterSpec.unknownNode(name, spec.nodeNames()));
        }
        return n;
    }

    /**
     * Upgrades one node while the others run: {@code image} is {@code NAME[@VERSION]} ({@link
     * io.vmcluster.image.ImageRef}), found the way the nodes' images are (a definition is built
     * or found in the cache first, before the node stops); then {@link Node#upgrade} stops the node
     * gracefully, boots it on that image with its data disk, and waits until it is ready.
     *
     * @throws io.vmcluster.image.InvalidImageException the image is unknown or not that version (the node is untouched)
     */
    public void upgrade(String node, String image) {
        Node n = node(node);
        n.upgrade(image(io.vmcluster.image.ImageRef.parse(image)));
    }

    /**
     * The image {@code ref} names, found the way the nodes' images were (the run's image store: a
     * definition is built or found in the cache), its version pin checked.
     *
     * @throws io.vmcluster.image.InvalidImageException unknown, or not that version
     */
    public ImageManifest image(io.vmcluster.image.ImageRef ref) {
        return ref.resolve(ctx.options().images());
    }

    /** The cluster's private network namespace (bridges, taps, rules; sockets into it). */
    public NetworkNamespace namespace() {
        return ctx.namespace();
    }

    /** Where this run's logs are: events.jsonl and one directory per node (argv, serial, stderr, QMP events, console). */
    public Path runDir() {
        return ctx.resultsDir();
    }

    /** The run's SSH key pair (guests authorise its public half; {@code vmcluster shell} uses the private one). */
    public io.vmcluster.channel.SshKeys sshKeys() {
        return ctx.sshKeys();
    }

    /** The temporary directory (sockets, disks), removed on close. */
    public Path tempDir() {
        return ctx.tempDir();
    }

    /** The run's event sink. */
    public EventSink events() {
        return ctx.events();
    }

    /** The timing that scales every bound of this cluster (the run options'). */
    public Timing timing() {
        return ctx.options().timing();
    }

    /** The run id (also in the namespace name and the temporary directory). */
    public String runId() {
        return run.id().value();
    }

    /**
     * Saves every node's state (RAM, devices, data disk) as one consistent cut named {@code name}:
     * all nodes are frozen together, saved, and resumed. Taking a name again replaces it.
     * Returns how long the cluster was frozen. See docs/snapshots.md.
     *
     * @throws IllegalArgumentException the name is not valid
     * @throws SnapshotException QEMU refused or failed (names the node and QEMU's words)
     */
    public java.time.Duration snapshot(String name) {
        ClusterWarmStart w = warm;
        return snapshots()
                .snapshot(name, this::parallel, w == null ? () -> {} : () -> w.frozenAt(name, this::parallel))
                .total();
    }

    /**
     * The warm cache entry this cluster started from instead of booting (its id), if it did
     * ({@link RunOptions#withWarmStart}); empty when it booted.
     */
    public java.util.Optional<String> warmStartEntry() {
        ClusterWarmStart w = warm;
        return w == null ? java.util.Optional.empty() : w.entry();
    }

    /**
     * Brings every node back to snapshot {@code name}: frozen together, loaded, resumed together,
     * then each guest's wall clock set to the host's. State written after the snapshot is gone.
     * First every fault still open on a fault API of this cluster ({@code ClusterFaults.of}) is
     * undone, newest first (partitions, cut NICs, impairments, captures, disk errors, clock skews:
     * host-side ones would outlive the restore; a WAN stays, it is topology); see {@link
     * #beforeEveryRestore}. Returns how long
     * the restore itself took.
     *
     * @throws IllegalArgumentException no such snapshot on this cluster
     * @throws SnapshotException QEMU refused or failed
     */
    public java.time.Duration restore(String name) {
        snapshots().checkTaken(name); // before anything is undone
        Closer closer = new Closer();
        beforeRestore.forEach(a -> closer.run("undoing the faults before restoring " + name, a::run));
        closer.throwIfFailed();
        return snapshots().restore(name, this::parallel).total();
    }

    /**
     * Runs {@code action} at the start of every {@link #restore}, before the nodes are frozen;
     * actions run newest first, a failure stops the restore after all ran. {@code ClusterFaults.of}
     * registers closing the fault API it makes, so a restore never leaves a fault of it in effect.
     */
    public void beforeEveryRestore(Runnable action) {
        beforeRestore.add(0, java.util.Objects.requireNonNull(action, "action"));
    }

    /**
     * Copies every node's data disk as backup {@code name}, all cut at one moment, while the
     * nodes run; see {@link #backup(String, java.util.Collection)}.
     */
    public Backup backup(String name) {
        return backup(name, spec.nodeNames());
    }

    /**
     * Copies the data disks of {@code nodes} as backup {@code name} while they run: each syncs,
     * then all are frozen together for as long as it takes to start one {@code blockdev-backup}
     * job each (milliseconds), and the copies, of the disks as they were at that moment, are
     * finished with the guests running. Taking a name again replaces it. The files live in the
     * run's temporary directory. Unlike {@link #snapshot}, a backup holds the disks only (no RAM,
     * no device state), outside them, and a restore boots from it. See docs/backups.md.
     *
     * @throws IllegalArgumentException the name is not valid, a node is unknown or has no data disk
     * @throws IllegalStateException a node is not running (READY)
     * @throws BackupException QEMU or qemu-img refused or failed (names the node and their words)
     */
    public Backup backup(String name, java.util.Collection<String> nodes) {
        BackupName n = new BackupName(name);
        return backupsOf().backup(n, nodesNamed(nodes), this::parallelOn);
    }

    /** Restores every node the backup {@code name} holds; see {@link #restoreBackup(String, java.util.Collection)}. */
    public java.time.Duration restoreBackup(String name) {
        BackupName n = new BackupName(name);
        return restoreBackup(name, backupsOf().check(n, List.of()).nodes());
    }

    /**
     * Brings {@code nodes} back to backup {@code name}: each is powered off, its data disk
     * written over with the backup's copy, and started again; returns once all are ready.
     * Everything written to those disks after the backup is gone; the other nodes run on. Like
     * {@link #restore}, every fault still open on a fault API of this cluster is undone first.
     * Returns how long the restore took.
     *
     * @throws IllegalArgumentException no such backup, or it holds no copy of one of the nodes
     * @throws BackupException qemu-img failed, or a node did not come up
     */
    public java.time.Duration restoreBackup(String name, java.util.Collection<String> nodes) {
        BackupName n = new BackupName(name);
        List<Node> which = nodesNamed(nodes);
        backupsOf().check(n, which); // before anything is undone
        Closer closer = new Closer();
        beforeRestore.forEach(a -> closer.run("undoing the faults before restoring backup " + name, a::run));
        closer.throwIfFailed();
        return backupsOf().restore(n, which, this::parallelOn);
    }

    /** The backups taken on this cluster so far, by name. */
    public Map<String, Backup> backups() {
        return backupsOf().taken();
    }

    /** The nodes called {@code names}, in cluster order; an unknown name fails listing the valid ones. */
    private List<Node> nodesNamed(java.util.Collection<String> names) {
        names.forEach(this::node);
        return nodes().stream().filter(n -> names.contains(n.name())).toList();
    }

    private void parallelOn(List<Node> which, Consumer<Node> action) {
        on(which, n -> {
            action.accept(n);
            return Boolean.TRUE;
        });
    }

    private synchronized ClusterBackups backupsOf() {
        if (backups == null) {
            backups = new ClusterBackups(
                    spec.name(),
                    ctx.tempDir().resolve("backups"),
                    ctx.events(),
                    ctx.options().timing());
        }
        return backups;
    }

    private synchronized ClusterSnapshots snapshots() {
        if (snapshots == null) {
            snapshots = new ClusterSnapshots(
                    spec.name(), nodes(), ctx.events(), ctx.options().timing());
        }
        return snapshots;
    }

    /** Runs {@code action} on every node in parallel; the first failure is thrown, the others suppressed. */
    public void parallel(Consumer<Node> action) {
        onAll(n -> {
            action.accept(n);
            return Boolean.TRUE;
        });
    }

    /** Runs {@code action} on every node in parallel and returns the results by node name. */
    public <T> Map<String, T> onAll(Function<Node, T> action) {
        return on(nodes(), action);
    }

    /** Runs {@code action} on the given nodes in parallel and returns the results by node name. */
    public <T> Map<String, T> on(List<Node> which, Function<Node, T> action) {
        Map<String, Future<T>> futures = new LinkedHashMap<>();
        for (Node n : which) {
            futures.put(n.name(), pool.submit(() -> action.apply(n)));
        }
        Map<String, T> results = new LinkedHashMap<>();
        Closer failures = new Closer();
        for (Map.Entry<String, Future<T>> e : futures.entrySet()) {
            try {
                results.put(e.getKey(), e.getValue().get());
            } catch (ExecutionException ex) {
                failures.add(ex.getCause());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                futures.values().forEach(f -> f.cancel(true));
                throw new IllegalStateException("interrupted while running on every node", ex);
            }
        }
        failures.throwIfFailed();
        return results;
    }

    /**
     * Copies the service logs of every node that is up, or whose image streams them to the host
     * (then whatever state the node is in: a crashed node's logs are there too) ({@link
     * Node#copyServiceLogs}) into the
     * directory {@code dirOf} gives it, in parallel. Never throws: each node's outcome is an event,
     * {@code service.logs} (dir, logs: service, bytes, size) or {@code service.logs.failed} (error).
     */
    public void copyServiceLogs(Function<Node, Path> dirOf) {
        // a streamed log is on the host whatever became of the node; copying needs it up
        List<Node> up = nodes.values().stream()
                .filter(n -> n.state() == NodeState.READY
                        || n.image().serviceLogStream().isPresent())
                .toList();
        on(up, n -> {
            long t0 = System.nanoTime();
            Path dir = dirOf.apply(n);
            try {
                List<ServiceLogs.Copied> copied = n.copyServiceLogs(dir);
                if (!copied.isEmpty()) {
                    ctx.events().record(EventKind.SERVICE_LOGS, n.name(), serviceLogsEvent(dir, copied, t0));
                }
            } catch (RuntimeException e) {
                LOG.warn("node {}: the service logs were not copied: {}", n.name(), e.getMessage());
                ctx.events()
                        .record(
                                EventKind.SERVICE_LOGS_FAILED,
                                n.name(),
                                Map.of("dir", dir.toString(), "error", String.valueOf(e.getMessage())));
            }
            return Boolean.TRUE;
        });
    }

    private Map<String, Object> serviceLogsEvent(Path dir, List<ServiceLogs.Copied> copied, long t0) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("dir", dir.toString());
        f.put(
                "logs",
                copied.stream()
                        .map(c -> Map.of("service", c.service(), "bytes", c.copied(), "size", c.size()))
                        .toList());
        f.put("ms", (System.nanoTime() - t0) / 1_000_000);
        return f;
    }

    /**
     * Copies the service logs of the nodes that are up into {@code <node>/services/}, then stops
     * every QEMU (in reverse order) and removes the namespace and temporary files. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            copyServiceLogs(n -> n.logDir().resolve(NodeLogs.SERVICES));
        } catch (RuntimeException e) {
            LOG.warn("the service logs were not copied: {}", e.toString());
        }
        closed = true;
        Closer closer = new Closer();
        closer.run(run::close);
        closer.run(pool::shutdownNow);
        closer.run(() -> ctx.events().record(EventKind.CLUSTER_STOP, null, Map.of("cluster", spec.name())));
        if (ownsEvents) {
            closer.run(ctx.events()::close);
        }
        closer.throwIfFailed();
    }

    private void stopNodes() {
        Closer.closeInReverse(
                nodes.values().stream().map(n -> (AutoCloseable) n::close).toList());
    }

    @Override
    public String toString() {
        return "Cluster[" + spec.name() + ", run " + runId() + ", " + nodes.values() + "]";
    }
}
