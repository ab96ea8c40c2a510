package io.vmcluster.events;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every kind of event a run records, with the fields each carries: the one set that producers
 * write ({@link EventSink#record(EventKind, String, Map)}) and readers match ({@link Event#type()}).
 * The wire name ({@code fault.start}) is what {@code events.jsonl} holds.
 */
public enum EventKind {
    /** Fields: scenario, file, params, nodes, tests (names in order). */
    RUN_START("run.start"),
    /** Fields: passed, ms, error (a run-level failure, or absent). */
    RUN_END("run.end"),
    /** Fields: cluster, run, nodes, results. */
    CLUSTER_START("cluster.start"),
    /** Fields: ms or elapsedMs. */
    CLUSTER_READY("cluster.ready"),
    /** Fields: error. */
    CLUSTER_FAILED("cluster.failed"),
    /** Closing the cluster failed after the run. Fields: error. */
    CLUSTER_CLOSE_FAILED("cluster.close.failed"),
    /** The cluster was stopped. Fields: cluster. */
    CLUSTER_STOP("cluster.stop"),
    /**
     * The cluster is left up after a failed test for inspection ({@code run --keep-failed}).
     * Fields: name (what exec/fault/down call it), test, socket.
     */
    CLUSTER_KEPT("cluster.kept"),
    /** Every VM was frozen right after a test failed ({@code run --pause-on-failure}). Fields: name, test. */
    RUN_PAUSED("run.paused"),
    /** A run paused on a failure goes on ({@code fault resume all}) or ends ({@code down}). Fields: name, test, how. */
    RUN_RESUMED("run.resumed"),
    /** Every node's state was saved as snapshot {@code name}. Fields: cluster, name, freeze_ms, work_ms, total_ms. */
    CLUSTER_SNAPSHOT("cluster.snapshot"),
    /**
     * Every node was restored to snapshot {@code name} (guest state, disks; guest clocks set to
     * the host's afterwards). Fields: cluster, name, freeze_ms, work_ms, resume_ms, clocks_ms, total_ms.
     */
    CLUSTER_RESTORE("cluster.restore"),
    /**
     * Every node started from a cached formed cluster instead of booting (docs/snapshots.md, "Warm
     * start across runs"). Fields: cluster, entry, dir, snapshot, created, accelerator, start_ms,
     * load_ms, resume_ms, fixups_ms, total_ms, clock_step_s.
     */
    CLUSTER_WARM_START("cluster.warm_start"),
    /** A cached formed cluster was found but not loaded; the cluster boots. Fields: cluster, entry, error, discarded. */
    CLUSTER_WARM_START_FAILED("cluster.warm_start.failed"),
    /**
     * The cut of the cached snapshot was written to the warm cache (or not: error). Fields:
     * cluster, entry, dir, snapshot, bytes, ms; or error.
     */
    CLUSTER_WARM_CACHE("cluster.warm_cache"),
    /**
     * Some nodes' data disks were copied as backup {@code name}, cut at one moment (docs/backups.md).
     * Fields: cluster, name, nodes, sync_ms, prepare_ms, freeze_ms, copy_ms, total_ms, bytes (each
     * node's backup file).
     */
    CLUSTER_BACKUP("cluster.backup"),
    /**
     * Some nodes were restored from backup {@code name}: powered off, disk written over, booted.
     * Fields: cluster, name, nodes, stop_ms, write_ms, boot_ms, total_ms.
     */
    CLUSTER_BACKUP_RESTORE("cluster.backup.restore"),
    /** Node: the node. Fields: state (BOOTING, READY, PAUSED, STOPPING, STOPPED, CRASHED), previous, reason, accelerator. */
    NODE_STATE("node.state"),
    /**
     * Once per cluster, when {@code auto} gives up KVM. Node: the node whose start was the KVM trial.
     * Fields: from (kvm), to (tcg), reason (in QEMU's words where it said any), cpu (the KVM
     * {@code -cpu} model tried), scope (cluster).
     */
    NODE_ACCEL_FALLBACK("node.accelerator.fallback"),
    /** A graceful shutdown ran out of time and the node was powered off. Node: the node. Fields: reason. */
    NODE_SHUTDOWN_FORCED("node.shutdown.forced"),
    /** A node's screen is served to VNC viewers on this host ({@code display: vnc}). Node: the node. Fields: vnc (127.0.0.1:PORT). */
    NODE_DISPLAY("node.display"),
    /** Service logs copied out of a node. Node: the node. Fields: where they went and what was copied. */
    SERVICE_LOGS("service.logs"),
    /** Service logs could not be copied out of a node. Node: the node. Fields: dir, error. */
    SERVICE_LOGS_FAILED("service.logs.failed"),
    /** Fields: test, at. */
    TEST_START("test.start"),
    /** Fields: test, status (PASSED, FAILED, SKIPPED), ms, message. */
    TEST_END("test.end"),
    /** Fields: test, step, at. */
    STEP_START("step.start"),
    /** Node: where it failed, if a node. Fields: test, step, at, ok, ms, error. */
    STEP_END("step.end"),
    /** Node: where it ran. Fields: command, exit, stdout, stderr, ms (or error). */
    COMMAND("command"),
    /** Output a scenario marked for the summary. Node: where it ran. Fields: test, command, stdout, exit. */
    SHOW("show"),
    /** Fields: test, message. */
    LOG("log"),
    /** A find_node step found its node. Node: the node found. Fields: capture (the variable set). */
    FIND_NODE("find_node"),
    /**
     * A fault was applied. Node: the node, if one. Fields: fault (its id, {@code f7}), faultKind
     * (e.g. {@code one-way-cut}), target, method (how it was applied, if it says), params, applyMs.
     */
    FAULT_START("fault.start"),
    /**
     * The cluster's WAN (standing impairments between regions) was set; not a fault. Fields: routes
     * ({@code node1->node2: delay 40000us}), method (host-netem or guest-netem), applyMs.
     */
    WAN_SET("wan.set"),
    /** The fault was undone. Node and fields: as its start, plus what the undo reports. */
    FAULT_END("fault.end"),
    /** A fault with nothing to undo (reset, kill). Fields: as {@link #FAULT_START}. */
    FAULT_INSTANT("fault.instant"),
    /** A fault could not be applied; nothing of it is in effect. Fields: as {@link #FAULT_START}, plus error. */
    FAULT_ERROR("fault.error"),
    /**
     * A workload started; its history's clock reads 0 at this event's time (fault windows are placed
     * on the history clock from it). Fields: workload (name), history (the history file relative to
     * the results directory), checkers (specs such as {@code set} or {@code time-to-leader:slo=10s}),
     * clients, and what else the workload was given.
     */
    WORKLOAD_START("workload.start"),
    /**
     * Fields: workload, history, checks (the checks.json beside it), ops (started by the clients), ok,
     * fail, info, opsPerSecond, quiesced (with final reads), valid (the merged verdict), summary, ms; or
     * workload, history and abandoned (why: the test failed before its workload_end; no verdict).
     */
    WORKLOAD_END("workload.end"),
    /**
     * A nemesis began applying its schedule. Fields: seed, faults (how many), lengthMs,
     * recoveryMs, schedule (the schedule file, relative to the results directory, if written).
     */
    NEMESIS_START("nemesis.start"),
    /**
     * A scheduled fault was applied (its own fault.start / fault.instant events follow the fault
     * API's). Node: the first node it was applied to. Fields: id (in the schedule), fault (its
     * text), nodes (the names it resolved to), atMs (planned), actualMs (when it was applied, from
     * the nemesis's start), faults (the fault API's ids).
     */
    NEMESIS_FAULT("nemesis.fault"),
    /**
     * A scheduled fault was not applied: a probe named a node busy with a fault it cannot go
     * with. Fields: id, fault, nodes, atMs, reason.
     */
    NEMESIS_SKIP("nemesis.skip"),
    /** The nemesis healed what was open and waited out its recovery. Fields: applied, skipped, ms. */
    NEMESIS_END("nemesis.end"),
    /** A kind this version does not know (a newer producer, or a stand-in in a test); never written. */
    OTHER("");

    private static final Map<String, EventKind> BY_WIRE_NAME = Arrays.stream(values())
            .filter(k -> k != OTHER)
            .collect(Collectors.toUnmodifiableMap(EventKind::wireName, Function.identity()));

    private final String wireName;

    EventKind(String wireName) {
        this.wireName = wireName;
    }

    /** The name in {@code events.jsonl}, e.g. {@code fault.start}. */
    public String wireName() {
        return wireName;
    }

    /** The kind with this wire name, or {@link #OTHER}. */
    public static EventKind of(String wireName) {
        return BY_WIRE_NAME.getOrDefault(wireName, OTHER);
    }

    @Override
    public String toString() {
        return wireName;
    }
}
