package io.vmcluster.scenario;

import io.vmcluster.command.CommandResult;
import io.vmcluster.fault.FaultSpec;
import io.vmcluster.scenario.run.ClusterApi;
import io.vmcluster.scenario.step.LifecycleStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A scripted cluster for unit tests of runner logic only (timeouts, parallel groups, captures,
 * repeat, stop-on-failure): commands are answered by a function; everything done is logged.
 */
final class FakeCluster implements ClusterApi {
    final List<String> nodes;
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    volatile BiFunction<String, String, CommandResult> answer = (node, cmd) -> ok("");
    volatile boolean closed;
    /** One entry per {@link #copyServiceLogsAfterFailure}: the test, and how many commands ran before it. */
    final List<String> serviceLogCopies = Collections.synchronizedList(new ArrayList<>());

    FakeCluster(String... nodes) {
        this.nodes = List.of(nodes);
    }

    static CommandResult ok(String stdout) {
        return CommandResult.ofText("fake", "", 0, stdout, "", Duration.ZERO);
    }

    static CommandResult exit(int code, String stdout, String stderr) {
        return CommandResult.ofText("fake", "", code, stdout, stderr, Duration.ZERO);
    }

    /** What workload steps drive; null: this cluster runs no workload. */
    volatile io.vmcluster.workload.WorkloadTarget workloadTarget;

    @Override
    public io.vmcluster.workload.WorkloadTarget workloadTarget() {
        if (workloadTarget == null) throw new UnsupportedOperationException("this fake runs no workload");
        return workloadTarget;
    }

    @Override
    public List<String> nodes() {
        return nodes;
    }

    @Override
    public CommandResult exec(String node, String command, Duration timeout) {
        log.add(node + ": " + command);
        return answer.apply(node, command);
    }

    @Override
    public void wan(String a, String b, java.util.Optional<io.vmcluster.fault.Impairment> impairment) {
        log.add("wan " + a + "-" + b + " "
                + impairment.map(i -> String.join(" ", i.netemArgs())).orElse("cleared"));
    }

    @Override
    public void snapshot(io.vmcluster.cluster.SnapshotName name) {
        log.add("snapshot " + name);
    }

    @Override
    public void restore(io.vmcluster.cluster.SnapshotName name) {
        log.add("restore " + name);
        if (restoreFails != null) throw restoreFails;
    }

    @Override
    public void backup(io.vmcluster.cluster.BackupName name, List<String> nodes) {
        log.add("backup " + name + " of " + nodes);
    }

    @Override
    public void restoreBackup(io.vmcluster.cluster.BackupName name, List<String> nodes) {
        log.add("restore backup " + name + " on " + nodes);
    }

    /** Non-null: every restore throws this (after logging it). */
    volatile RuntimeException restoreFails;

    @Override
    public void copyIn(String node, Path local, String guestPath) {
        log.add(node + ": copy in " + local + " -> " + guestPath);
    }

    @Override
    public void copyOut(String node, String guestPath, Path local) {
        log.add(node + ": copy out " + guestPath + " -> " + local
                + (Files.isDirectory(local.getParent()) ? "" : " (no dir)"));
    }

    @Override
    public void waitForService(String node, String service, Duration timeout) {
        log.add(node + ": wait for service " + service);
    }

    @Override
    public void waitForPort(String node, int port, Duration timeout) {
        log.add(node + ": wait for port " + port);
    }

    @Override
    public void controlService(String node, String service, ServiceAction action, Duration timeout) {
        log.add(node + ": " + action + " " + service);
    }

    @Override
    public void killProcess(String node, String process, Duration timeout) {
        log.add(node + ": kill " + process);
    }

    @Override
    public void lifecycle(String node, LifecycleStep.Action action, Duration timeout) {
        log.add(node + ": " + action);
    }

    @Override
    public void upgrade(String node, io.vmcluster.image.ImageRef image, Duration timeout) {
        log.add(node + ": upgrade to " + image + " within " + timeout.toSeconds() + " s");
    }

    @Override
    public void applyFault(FaultSpec<List<String>> fault, Duration timeout) {
        log.add("fault: " + fault);
    }

    @Override
    public List<io.vmcluster.fault.Fault> startFault(FaultSpec<List<String>> fault) {
        log.add("scheduled fault: " + fault);
        return List.of();
    }

    @Override
    public void healAll() {
        log.add("heal");
    }

    @Override
    public void copyServiceLogsAfterFailure(String test) {
        serviceLogCopies.add(test + " after " + log.size() + " commands");
    }

    @Override
    public void close() {
        closed = true;
    }
}
