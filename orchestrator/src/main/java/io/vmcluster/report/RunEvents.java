package io.vmcluster.report;

/**
 * The event kinds and fields the console and the results directory are built from, as the
 * scenario runner ({@link io.vmcluster.scenario.ScenarioRunner}), the cluster runtime and the fault
 * API record them. Nothing in the report ever asks a cluster for anything.
 */
public final class RunEvents {
    /** Fields: scenario, file, params, nodes, tests (names in order). */
    public static final String RUN_START = "run.start";
    /** Fields: passed, ms, error (a run-level failure, or absent). */
    public static final String RUN_END = "run.end";
    /** Fields: cluster, run, nodes, results. */
    public static final String CLUSTER_START = "cluster.start";
    /** Fields: ms or elapsedMs. */
    public static final String CLUSTER_READY = "cluster.ready";
    /** Fields: error. */
    public static final String CLUSTER_FAILED = "cluster.failed";
    /** Node: the node. Fields: state (BOOTING, READY, PAUSED, STOPPING, STOPPED, CRASHED), previous, reason, accelerator. */
    public static final String NODE_STATE = "node.state";
    /**
     * Once per cluster, when {@code auto} gives up KVM. Node: the node whose start was the KVM trial.
     * Fields: from (kvm), to (tcg), reason (in QEMU's words where it said any), cpu (the KVM
     * {@code -cpu} model tried), scope (cluster).
     */
    public static final String NODE_ACCEL_FALLBACK = "node.accelerator.fallback";
    /** Fields: test, at. */
    public static final String TEST_START = "test.start";
    /** Fields: test, status (PASSED, FAILED, SKIPPED), ms, message. */
    public static final String TEST_END = "test.end";
    /** Fields: test, step, at. */
    public static final String STEP_START = "step.start";
    /** Node: where it failed, if a node. Fields: test, step, at, ok, ms, error. */
    public static final String STEP_END = "step.end";
    /** Node: where it ran. Fields: command, exit, stdout, stderr, ms (or error). */
    public static final String COMMAND = "command";
    /** Output a scenario marked for the summary. Node: where it ran. Fields: test, command, stdout, exit. */
    public static final String SHOW = "show";
    /** Fields: message. */
    public static final String LOG = "log";
    /** Node: the node, if one. Fields: id, kind, target, params. */
    public static final String FAULT_START = "fault.start";

    public static final String FAULT_END = "fault.end";
    public static final String FAULT_INSTANT = "fault.instant";
    public static final String FAULT_ERROR = "fault.error";

    /**
     * A workload started; its history's clock reads 0 at this event's time (fault windows are placed
     * on the history clock from it). Fields: workload (name), history (the history file relative to
     * the results directory), checkers (specs such as {@code set} or {@code time-to-leader:slo=10s}),
     * clients, and what else the workload was given.
     */
    public static final String WORKLOAD_START = "workload.start";
    /**
     * Fields: workload, history, checks (the checks.json beside it), ops (started by the clients), ok,
     * fail, info, opsPerSecond, quiesced (with final reads), valid (the merged verdict), summary, ms; or
     * workload, history and abandoned (why: the test failed before its workload_end; no verdict).
     */
    public static final String WORKLOAD_END = "workload.end";

    private RunEvents() {}
}
