package io.vmcluster.report;

/**
 * The event kinds and field names the console and the results directory are built from. The
 * scenario runner and the runtime emit them through the run's {@link io.vmcluster.events.EventSink};
 * nothing here ever asks a cluster for anything. Durations are milliseconds.
 */
public final class RunEvents {
    /** A run began. Fields: {@link #SCENARIO}, {@code file}, {@code params}. */
    public static final String RUN_START = "run.start";
    /** A run ended. Fields: {@link #OUTCOME}, {@link #DURATION_MS}. */
    public static final String RUN_END = "run.end";
    /** A node's VM was launched. */
    public static final String NODE_BOOT = "node.boot";
    /** A node is ready (its readiness line seen). Fields: {@link #DURATION_MS} since launch. */
    public static final String NODE_READY = "node.ready";
    /** A node failed to boot. Fields: {@link #MESSAGE}. */
    public static final String NODE_FAILED = "node.failed";
    /** Fields: {@link #SUBTEST}. */
    public static final String SUBTEST_START = "subtest.start";
    /** Fields: {@link #SUBTEST}, {@link #OUTCOME}, {@link #DURATION_MS}, optional {@link #MESSAGE}, {@link #OUTPUT}. */
    public static final String SUBTEST_END = "subtest.end";
    /** Fields: {@link #SUBTEST}, {@link #STEP}. */
    public static final String STEP_START = "step.start";
    /** Fields: {@link #SUBTEST}, {@link #STEP}, {@link #OUTCOME}, {@link #DURATION_MS}, optional {@link #MESSAGE}, {@code exitCode}, {@code stdout}, {@code stderr}. */
    public static final String STEP_END = "step.end";
    /** Fields: {@code fault}. */
    public static final String FAULT_START = "fault.start";
    /** Fields: {@code fault}. */
    public static final String FAULT_END = "fault.end";
    /** Output a scenario marked for the end-of-run summary. Fields: {@code title}, {@code text}. */
    public static final String SUMMARY = "summary";

    public static final String SCENARIO = "scenario";
    public static final String SUBTEST = "subtest";
    public static final String STEP = "step";
    public static final String OUTCOME = "outcome";
    public static final String DURATION_MS = "durationMs";
    public static final String MESSAGE = "message";
    public static final String OUTPUT = "output";

    private RunEvents() {}
}
