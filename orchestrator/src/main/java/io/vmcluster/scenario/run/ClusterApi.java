package io.vmcluster.scenario.run;

import io.vmcluster.command.CommandResult;
import io.vmcluster.fault.FaultSpec;
import io.vmcluster.scenario.step.LifecycleStep;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The narrow seam between the scenario runner and a running cluster: exactly what steps need,
 * nothing more. {@link RealCluster} adapts the cluster runtime (io.vmcluster.cluster) and the
 * fault API (io.vmcluster.fault) to it; unit tests of runner logic use a fake.
 *
 * <p>Every method may be called from several threads at once (parallel steps, one thread per node).
 * Failures are thrown as exceptions whose message says what happened (node, reason).
 */
public interface ClusterApi extends AutoCloseable {
    /** Node names in order. */
    List<String> nodes();

    /** Runs {@code command} with {@code /bin/sh -c} on {@code node}; a timeout kills it and throws. */
    CommandResult exec(String node, String command, Duration timeout) throws Exception;

    /** Copies a host file into the guest at {@code guestPath} (binary-safe; creates or truncates it). */
    default void copyIn(String node, Path local, String guestPath) throws Exception {
        throw new UnsupportedOperationException("this cluster cannot copy files into a guest");
    }

    /** Copies a guest file to the host file {@code local} (binary-safe). */
    default void copyOut(String node, String guestPath, Path local) throws Exception {
        throw new UnsupportedOperationException("this cluster cannot copy files out of a guest");
    }

    /**
     * Sets the WAN link between regions {@code a} and {@code b} to {@code impairment}, or removes
     * it when empty (docs/clusters.md, "Regions and WAN latency").
     */
    default void wan(String a, String b, java.util.Optional<io.vmcluster.fault.Impairment> impairment)
            throws Exception {
        throw new UnsupportedOperationException("this cluster has no WAN");
    }

    /** Saves every node as one consistent cut named {@code name} (docs/snapshots.md). */
    default void snapshot(io.vmcluster.cluster.SnapshotName name) throws Exception {
        throw new UnsupportedOperationException("this cluster cannot take snapshots");
    }

    /** Brings every node back to the snapshot {@code name}. */
    default void restore(io.vmcluster.cluster.SnapshotName name) throws Exception {
        throw new UnsupportedOperationException("this cluster cannot restore snapshots");
    }

    /** Copies the data disks of {@code nodes} as backup {@code name}, cut at one moment (docs/backups.md). */
    default void backup(io.vmcluster.cluster.BackupName name, List<String> nodes) throws Exception {
        throw new UnsupportedOperationException("this cluster cannot take backups");
    }

    /**
     * Restores {@code nodes} (empty: every node the backup holds) from backup {@code name}:
     * powered off, disks written over, booted until ready.
     */
    default void restoreBackup(io.vmcluster.cluster.BackupName name, List<String> nodes) throws Exception {
        throw new UnsupportedOperationException("this cluster cannot restore backups");
    }

    /**
     * What a workload drives: node addresses, sockets that reach the nodes (inside the cluster's
     * network namespace), guest commands.
     */
    default io.vmcluster.workload.WorkloadTarget workloadTarget() {
        throw new UnsupportedOperationException("this cluster cannot run workloads");
    }

    /** Waits until the image's service {@code service} runs on {@code node}. */
    void waitForService(String node, String service, Duration timeout) throws Exception;

    /** Waits until TCP {@code port} accepts connections on {@code node}. */
    void waitForPort(String node, int port, Duration timeout) throws Exception;

    /** Starts, stops or restarts a service through the image's service map, all within {@code timeout}. */
    void controlService(String node, String service, ServiceAction action, Duration timeout) throws Exception;

    /** Sends SIGKILL to every process named {@code process} on {@code node}; the guest command is bounded by {@code timeout}. */
    void killProcess(String node, String process, Duration timeout) throws Exception;

    /** Changes a VM's state (crash, restart, pause …); restart/start return when the node is ready. */
    void lifecycle(String node, LifecycleStep.Action action, Duration timeout) throws Exception;

    /**
     * Boots {@code node} on {@code image} with its data disk (stopped gracefully first if it runs)
     * and returns when it is ready, within {@code timeout}: one step of a rolling upgrade.
     */
    default void upgrade(String node, io.vmcluster.image.ImageRef image, Duration timeout) throws Exception {
        throw new UnsupportedOperationException("this cluster cannot upgrade nodes");
    }

    /**
     * Applies a fault whose node selectors are already resolved: every node name in {@code fault}
     * is a real node. Stays in effect until {@link #healAll()}. Every command the fault runs in a
     * guest (clock, kill, service map) is bounded by {@code timeout}.
     */
    void applyFault(FaultSpec<List<String>> fault, Duration timeout) throws Exception;

    /**
     * Applies a fault whose node selectors are resolved and returns its handles, each undoing its
     * part when closed (none for an instant fault): how a nemesis schedule is applied.
     */
    default List<io.vmcluster.fault.Fault> startFault(FaultSpec<List<String>> fault) throws Exception {
        throw new UnsupportedOperationException("this cluster cannot apply scheduled faults");
    }

    /** Undoes every fault still in effect. */
    void healAll() throws Exception;

    /**
     * Copies the guest's service logs of every node that is up, right after the test {@code test}
     * failed, to where the results directory keeps them for that test; never throws (what could
     * not be copied is an event). Closing the cluster copies them once more.
     */
    default void copyServiceLogsAfterFailure(String test) {}

    /**
     * Right after the test {@code test} failed (its service logs copied): whether the run goes on
     * with the next test. Yes, unless this cluster is being kept for inspection as it is ({@code run
     * --keep-failed}): then the rest are skipped, and the cluster's close is deferred.
     */
    default boolean continueAfterFailure(String test) {
        return true;
    }

    /** Stops the cluster and removes everything it made. */
    @Override
    void close() throws Exception;

    /** Service control actions. */
    enum ServiceAction {
        START,
        STOP,
        RESTART
    }
}
