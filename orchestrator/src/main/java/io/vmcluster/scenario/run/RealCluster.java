package io.vmcluster.scenario.run;

import io.vmcluster.cluster.Cluster;
import io.vmcluster.cluster.Node;
import io.vmcluster.cluster.faults.ClusterFaults;
import io.vmcluster.command.CommandResult;
import io.vmcluster.events.EventSink;
import io.vmcluster.fault.Fault;
import io.vmcluster.fault.FaultSpec;
import io.vmcluster.fault.Faults;
import io.vmcluster.report.ResultsDirectory;
import io.vmcluster.resource.Closer;
import io.vmcluster.scenario.Scenario;
import io.vmcluster.scenario.step.LifecycleStep;
import io.vmcluster.time.Deadline;
import io.vmcluster.time.Timing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@link ClusterApi} over the real cluster runtime ({@link Cluster}, {@link Node}) and fault API
 * ({@link Faults}). The runner hands it bounds that are already scaled by the timing multiplier;
 * the runtime scales what it is given, so bounds are unscaled on the way in.
 */
public final class RealCluster implements ClusterApi {
    /** Boots real VMs for a scenario: the scenario's cluster spec, results and events in the run directory. */
    public static final ClusterLauncher LAUNCHER = RealCluster::start;

    private final Cluster cluster;
    private final Faults faults;
    private final Timing timing;
    private final StepWindows windows;

    private RealCluster(Cluster cluster, Faults faults, Timing timing) {
        this.cluster = cluster;
        this.faults = faults;
        this.timing = timing;
        this.windows = new StepWindows(faults);
    }

    /**
     * Boots the scenario's cluster here, or over its hosts when it names {@code hosts:}
     * ({@link io.vmcluster.hosts.HostsScenarioCluster}: the SSH login from the environment, the
     * running CLI jar copied to each host as its agent).
     */
    private static ClusterApi start(Scenario scenario, RunOptions options, EventSink events, Duration bootTimeout)
            throws Exception {
        if (scenario.cluster().spec().placement().isDistributed()) {
            return io.vmcluster.hosts.HostsScenarioCluster.launcher(
                            io.vmcluster.hosts.HostLogin::fromEnvironment,
                            io.vmcluster.hosts.HostsScenarioCluster::runningJar)
                    .start(scenario, options, events, bootTimeout);
        }
        io.vmcluster.cluster.RunOptions run = io.vmcluster.cluster.RunOptions.defaults()
                .withAccelerator(options.accel())
                .withResultsDir(options.runDir())
                .withEvents(events)
                .withTiming(options.timing())
                .withPacketCapture(options.capturePackets());
        // the images of upgrade steps are built or found now, before anything boots, not mid-test
        scenario.upgrades().forEach(u -> u.image().resolve(run.images()));
        var warm = warmStart(scenario, options);
        return of(
                Cluster.start(scenario.cluster().spec(), warm == null ? run : run.withWarmStart(warm)),
                options.timing());
    }

    /**
     * The warm start of a scenario with a {@code cache: true} snapshot, or null: the standard
     * cache, the snapshot, and the scenario file's text up to the snapshot step's line as part of
     * the key (a changed step before it, or anything above, is another formed cluster; the params
     * are in the nodes' command lines).
     */
    static io.vmcluster.cluster.WarmStart warmStart(Scenario scenario, RunOptions options) {
        var step = scenario.cachedSnapshot();
        if (step.isEmpty()) return null;
        String text;
        try {
            text = java.nio.file.Files.readString(scenario.file());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(
                    "cannot read " + scenario.file() + " again for its warm start: " + e.getMessage(), e);
        }
        String upTo = String.join(
                "\n", text.lines().limit(step.get().location().line()).toList());
        var w = new io.vmcluster.cluster.WarmStart(
                io.vmcluster.warm.WarmCache.standard(),
                step.get().name(),
                java.util.Map.of("scenario.text", upTo),
                true);
        return options.cold() ? w.cold() : w;
    }

    /**
     * The seam over a cluster someone else booted (the JUnit 5 extension), with its fault API;
     * closing it closes the cluster, also when this call fails.
     */
    public static RealCluster of(Cluster cluster, Timing timing) {
        try {
            return new RealCluster(cluster, ClusterFaults.of(cluster), timing);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** The runtime's cluster, for callers that need more than the seam. */
    public Cluster cluster() {
        return cluster;
    }

    /** The cluster's fault API, for callers that need more than the seam; {@link #healAll()} undoes what it opened. */
    public Faults faults() {
        return faults;
    }

    @Override
    public List<String> nodes() {
        return cluster.spec().nodeNames();
    }

    @Override
    public CommandResult exec(String node, String command, Duration timeout) {
        return cluster.node(node).exec(command, timing.nominal(timeout));
    }

    @Override
    public io.vmcluster.workload.WorkloadTarget workloadTarget() {
        return new io.vmcluster.workload.ClusterTarget(cluster);
    }

    @Override
    public void copyIn(String node, Path local, String guestPath) {
        cluster.node(node).copyIn(local, guestPath);
    }

    @Override
    public void snapshot(io.vmcluster.cluster.SnapshotName name) {
        cluster.snapshot(name.value());
    }

    /** Heals every open fault first: host-side faults (partitions, links, disk errors) outlive a restore. */
    @Override
    public void restore(io.vmcluster.cluster.SnapshotName name) {
        healAll();
        cluster.restore(name.value());
        // the guests hold the snapshot's qdiscs: put the WAN as it is now back
        cluster.spec().nodeNames().forEach(faults::rebooted);
    }

    @Override
    public void backup(io.vmcluster.cluster.BackupName name, List<String> nodes) {
        cluster.backup(name.value(), nodes);
    }

    /**
     * Heals every open fault first (as a snapshot restore does), then restores; the restored
     * guests boot afresh, so the WAN's guest side is put back on each.
     */
    @Override
    public void restoreBackup(io.vmcluster.cluster.BackupName name, List<String> nodes) {
        healAll();
        if (nodes.isEmpty()) {
            cluster.restoreBackup(name.value());
        } else {
            cluster.restoreBackup(name.value(), nodes);
        }
        (nodes.isEmpty() ? cluster.backups().get(name.value()).nodes() : nodes).forEach(faults::rebooted);
    }

    /** The WAN as the last {@code wan} step left it (starts as the cluster file says). */
    private io.vmcluster.cluster.spec.WanSpec wan;

    @Override
    public synchronized void wan(String a, String b, java.util.Optional<io.vmcluster.fault.Impairment> impairment) {
        io.vmcluster.cluster.spec.WanSpec now = wan == null ? cluster.spec().wan() : wan;
        io.vmcluster.cluster.spec.WanSpec next =
                impairment.isPresent() ? now.withLink(a, b, impairment.get()) : now.withoutLink(a, b);
        faults.wan(ClusterFaults.routes(next));
        wan = next;
    }

    @Override
    public void copyOut(String node, String guestPath, Path local) {
        cluster.node(node).copyOut(guestPath, local);
    }

    @Override
    public void waitForService(String node, String service, Duration timeout) {
        cluster.node(node).waitForService(service, timing.nominal(timeout));
    }

    @Override
    public void waitForPort(String node, int port, Duration timeout) {
        cluster.node(node).waitForPort(port, timing.nominal(timeout));
    }

    /** Controls the service; a stopped service is a fault window ({@link StepWindows}). */
    @Override
    public void controlService(String node, String service, ServiceAction action, Duration timeout) {
        Node n = cluster.node(node);
        // one bound for both commands of a restart: the start gets what the stop left
        Deadline d = Deadline.after(timeout);
        windows.service(
                node,
                service,
                action,
                () -> n.stopService(service, timing.nominal(d.remaining())),
                () -> n.startService(service, timing.nominal(d.remaining())));
    }

    @Override
    public void killProcess(String node, String process, Duration timeout) {
        faults.killProcess(node, process, timing.nominal(timeout));
    }

    /** Changes the VM; the disruption is a fault window ({@link StepWindows}). */
    @Override
    public void lifecycle(String node, LifecycleStep.Action action, Duration timeout) {
        Node n = cluster.node(node);
        windows.lifecycle(node, action, () -> {
            switch (action) {
                case CRASH -> n.crash();
                case RESTART -> {
                    n.restart();
                    faults.rebooted(node);
                }
                case PAUSE -> n.pause();
                case RESUME -> n.resume();
                case RESET -> {
                    n.reset();
                    n.awaitReady(timing.nominal(timeout));
                    faults.rebooted(node);
                }
                case SHUTDOWN -> n.shutdown();
                case START -> {
                    n.start();
                    n.awaitReady(timing.nominal(timeout));
                    faults.rebooted(node);
                }
            }
        });
    }

    /**
     * Resolves the image first (the node runs on while a definition is built or found), then
     * stops, re-boots and waits for the node; the disruption is a fault window ({@link StepWindows}).
     */
    @Override
    public void upgrade(String node, io.vmcluster.image.ImageRef image, Duration timeout) {
        Node n = cluster.node(node);
        io.vmcluster.image.ImageManifest next = cluster.image(image);
        windows.upgrade(node, image.toString(), () -> {
            n.upgrade(next, timing.nominal(timeout));
            faults.rebooted(node);
        });
    }

    @Override
    public void applyFault(FaultSpec<List<String>> fault, Duration timeout) {
        faults.apply(fault, timing.nominal(timeout));
    }

    @Override
    public List<Fault> startFault(FaultSpec<List<String>> fault) {
        return faults.apply(fault);
    }

    @Override
    public void copyServiceLogsAfterFailure(String test) {
        ResultsDirectory results = new ResultsDirectory(cluster.runDir());
        cluster.copyServiceLogs(n -> results.serviceLogsAfterFailure(n.name(), test));
    }

    /** Undoes every fault in effect (network, disk, clock, stopped services), newest first. */
    @Override
    public void healAll() {
        Closer.closeInReverse(faults.active());
    }

    @Override
    public void close() {
        try {
            faults.close();
        } finally {
            cluster.close();
        }
    }
}
