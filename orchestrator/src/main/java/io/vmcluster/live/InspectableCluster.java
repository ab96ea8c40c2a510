package io.vmcluster.live;

import io.vmcluster.command.CommandResult;
import io.vmcluster.events.EventKind;
import io.vmcluster.events.EventSink;
import io.vmcluster.fault.Fault;
import io.vmcluster.fault.FaultSpec;
import io.vmcluster.scenario.run.ClusterApi;
import io.vmcluster.scenario.step.LifecycleStep;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A run's cluster that a person may step into when a test fails ({@code vmcluster run
 * --keep-failed} / {@code --pause-on-failure}); every step goes to the cluster underneath.
 *
 * <ul>
 *   <li><b>pause on failure</b>: right after a test fails, before anything else happens, every VM
 *       is frozen (QMP stop), the control socket is opened and the run waits: {@code vmcluster
 *       fault resume all} unfreezes them and the run goes on with the next test; {@code vmcluster
 *       down} ends it (the VMs are unfrozen, the rest skipped, the cluster removed as usual).
 *   <li><b>keep failed</b>: after the first failed test the run stops (the rest are skipped) and
 *       the cluster's close is deferred: it stays up as it was, faults in effect, until {@link
 *       #release()} ({@code vmcluster down}).
 * </ul>
 */
public final class InspectableCluster implements ClusterApi {
    private static final Duration PAUSE_BOUND = Duration.ofSeconds(60);

    private final ClusterApi cluster;
    private final boolean keepFailed;
    private final boolean pauseOnFailure;
    private final Supplier<Supervisor> supervisor;
    private final EventSink events;
    private final Consumer<List<String>> say;
    private volatile String keptAfter;
    private volatile boolean downAsked;
    private volatile boolean released;

    /**
     * @param supervisor opens the control socket (once) when a person is first let in
     * @param say shows lines to the person at the terminal (and the run log)
     */
    public InspectableCluster(
            ClusterApi cluster,
            boolean keepFailed,
            boolean pauseOnFailure,
            Supplier<Supervisor> supervisor,
            EventSink events,
            Consumer<List<String>> say) {
        this.cluster = cluster;
        this.keepFailed = keepFailed;
        this.pauseOnFailure = pauseOnFailure;
        this.supervisor = supervisor;
        this.events = events;
        this.say = say;
    }

    /** The test after which the cluster was kept, or null. */
    public String keptAfter() {
        return keptAfter;
    }

    /** The cluster underneath. */
    public ClusterApi delegate() {
        return cluster;
    }

    @Override
    public void copyServiceLogsAfterFailure(String test) {
        if (pauseOnFailure && !downAsked) {
            pause(test);
        }
        cluster.copyServiceLogsAfterFailure(test);
    }

    private void pause(String test) {
        for (String n : cluster.nodes()) {
            try {
                cluster.lifecycle(n, LifecycleStep.Action.PAUSE, PAUSE_BOUND);
            } catch (Exception e) {
                say.accept(List.of("  (" + n + " was not paused: " + e.getMessage() + ")"));
            }
        }
        Supervisor s = supervisor.get();
        s.state("paused: test '" + test + "' failed");
        events.record(EventKind.RUN_PAUSED, null, Map.of("name", s.live().name(), "test", test));
        String n = s.live().name();
        List<String> lines = new java.util.ArrayList<>(s.nextStepLines(
                "Test '" + test + "' failed: every VM of " + n + " is frozen as it was at the failure."));
        lines.add("  vmcluster fault " + n + " resume all                   unfreeze them: the run goes on");
        say.accept(lines);
        boolean resumed;
        try {
            resumed = s.control().awaitResumeOrDown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            resumed = false;
        }
        events.record(
                EventKind.RUN_RESUMED,
                null,
                Map.of("name", n, "test", test, "how", resumed ? "fault resume all" : "down"));
        if (resumed) {
            s.state("running");
            return;
        }
        downAsked = true;
        for (String node : cluster.nodes()) {
            try {
                cluster.lifecycle(node, LifecycleStep.Action.RESUME, PAUSE_BOUND);
            } catch (Exception e) {
                // it may have been resumed by hand already; close removes it either way
            }
        }
    }

    @Override
    public boolean continueAfterFailure(String test) {
        if (downAsked) return false;
        if (keepFailed) {
            keptAfter = test;
            return false;
        }
        return cluster.continueAfterFailure(test);
    }

    /** Closes the cluster, kept or not. */
    public void release() throws Exception {
        released = true;
        cluster.close();
    }

    /** Deferred while the cluster is kept; see {@link #release()}. */
    @Override
    public void close() throws Exception {
        if (keptAfter != null && !released) return;
        cluster.close();
    }

    // --- everything else: the cluster underneath

    @Override
    public List<String> nodes() {
        return cluster.nodes();
    }

    @Override
    public CommandResult exec(String node, String command, Duration timeout) throws Exception {
        return cluster.exec(node, command, timeout);
    }

    @Override
    public void copyIn(String node, Path local, String guestPath) throws Exception {
        cluster.copyIn(node, local, guestPath);
    }

    @Override
    public void copyOut(String node, String guestPath, Path local) throws Exception {
        cluster.copyOut(node, guestPath, local);
    }

    @Override
    public void snapshot(io.vmcluster.cluster.SnapshotName name) throws Exception {
        cluster.snapshot(name);
    }

    @Override
    public void restore(io.vmcluster.cluster.SnapshotName name) throws Exception {
        cluster.restore(name);
    }

    @Override
    public io.vmcluster.workload.WorkloadTarget workloadTarget() {
        return cluster.workloadTarget();
    }

    @Override
    public void waitForService(String node, String service, Duration timeout) throws Exception {
        cluster.waitForService(node, service, timeout);
    }

    @Override
    public void waitForPort(String node, int port, Duration timeout) throws Exception {
        cluster.waitForPort(node, port, timeout);
    }

    @Override
    public void controlService(String node, String service, ServiceAction action, Duration timeout) throws Exception {
        cluster.controlService(node, service, action, timeout);
    }

    @Override
    public void killProcess(String node, String process, Duration timeout) throws Exception {
        cluster.killProcess(node, process, timeout);
    }

    @Override
    public void lifecycle(String node, LifecycleStep.Action action, Duration timeout) throws Exception {
        cluster.lifecycle(node, action, timeout);
    }

    @Override
    public void applyFault(FaultSpec<List<String>> fault, Duration timeout) throws Exception {
        cluster.applyFault(fault, timeout);
    }

    @Override
    public List<Fault> startFault(FaultSpec<List<String>> fault) throws Exception {
        return cluster.startFault(fault);
    }

    @Override
    public void healAll() throws Exception {
        cluster.healAll();
    }
}
