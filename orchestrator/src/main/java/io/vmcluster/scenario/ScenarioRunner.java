package io.vmcluster.scenario;

import io.vmcluster.events.EventKind;
import io.vmcluster.events.EventSink;
import io.vmcluster.scenario.run.ClusterApi;
import io.vmcluster.scenario.run.RunOptions;
import io.vmcluster.scenario.run.RunResult;
import io.vmcluster.scenario.run.TestOutcome;
import io.vmcluster.scenario.run.TestRunner;
import io.vmcluster.time.Deadline;
import io.vmcluster.time.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a validated {@link Scenario}: boots its cluster, runs its tests in order, tears the
 * cluster down (always), and returns one outcome per test. A failed test does not stop the run
 * unless the scenario or the test says {@code stop_on_failure: true}; tests not run are SKIPPED.
 *
 * <p>Events recorded (kind: fields): {@code run.start}: scenario, file, params, nodes;
 * {@code cluster.ready}: ms; {@code test.start}: test; {@code step.start}/{@code step.end}: test,
 * step, at (file:line:col), ok, ms, error; {@code command} (node): command, exit, stdout, stderr,
 * ms; {@code show} (node): test, command, stdout; {@code find_node} (node): capture; {@code log}:
 * message; {@code test.end}: test, status, ms, message; {@code run.end}: passed, ms, error.
 * {@code run.start} also carries the run's {@code seed} (and {@code replay: true} for a replay)
 * when the scenario has a nemesis step or the options name a seed or a schedule.
 */
public final class ScenarioRunner {
    private ScenarioRunner() {}

    /** Runs the scenario; never throws for a failing test or a cluster that did not boot. */
    public static RunResult run(Scenario scenario, RunOptions options, EventSink sink) {
        long start = System.nanoTime();
        // workload_end reads the fault windows so far for its checkers
        EventSink events = new io.vmcluster.events.RememberingSink(
                sink, e -> e.kind().startsWith("fault.") || e.is(io.vmcluster.events.EventKind.WORKLOAD_START));
        Deadline runDeadline = options.timing().deadline(scenario.timeouts().run());
        Map<String, Object> startFields = new LinkedHashMap<>();
        startFields.put("scenario", scenario.name());
        startFields.put("file", scenario.file().toString());
        startFields.put("params", scenario.params());
        startFields.put("nodes", scenario.cluster().nodes());
        startFields.put("tests", scenario.tests().stream().map(TestCase::name).toList());
        // the run's seed: given (--seed), the replayed schedule's, else chosen now; recorded when a
        // nemesis step or the caller can use it
        io.vmcluster.scenario.run.NemesisOptions nemesis = options.nemesis();
        long seed = nemesis.seed() != null
                ? nemesis.seed()
                : nemesis.replay() != null ? nemesis.replay().seed() : new java.security.SecureRandom().nextLong();
        if (nemesis.seed() != null || nemesis.replay() != null || scenario.nemesisRuns() > 0) {
            startFields.put("seed", seed);
        }
        if (nemesis.replay() != null) startFields.put("replay", true);
        events.record(EventKind.RUN_START, null, startFields);

        List<TestOutcome> outcomes = new ArrayList<>();
        String error = null;
        Throwable bootFailure = null;
        ClusterApi cluster = null;
        io.vmcluster.scenario.run.WarmRounds warm = options.warm();
        try {
            try {
                if (warm == null) {
                    cluster = options.launcher().start(scenario, options, events, runDeadline.remaining());
                } else {
                    boolean kept = warm.warm();
                    cluster = warm.cluster(scenario, options, events, runDeadline.remaining());
                    if (kept) {
                        events.record(
                                EventKind.LOG,
                                null,
                                Map.of(
                                        "message",
                                        "the cluster of an earlier round is reused: test '"
                                                + scenario.tests()
                                                        .get(warm.restartTest())
                                                        .name()
                                                + "' restores snapshot '" + warm.snapshot()
                                                + "' instead of a boot"));
                    }
                }
                Map<String, Object> ready = new LinkedHashMap<>();
                ready.put("ms", (System.nanoTime() - start) / 1_000_000);
                if (warm != null && warm.resume() != null) ready.put("reused", true);
                events.record(EventKind.CLUSTER_READY, null, ready);
            } catch (Exception e) {
                if (e instanceof InterruptedException) Thread.currentThread().interrupt();
                bootFailure = e;
                error = "the cluster did not start: " + (e.getMessage() == null ? e.toString() : e.getMessage());
                events.record(EventKind.CLUSTER_FAILED, null, Map.of("error", error));
                for (TestCase t : scenario.tests()) {
                    outcomes.add(new TestOutcome(t.name(), TestOutcome.Status.SKIPPED, Duration.ZERO, error, null));
                }
            }
            if (cluster != null) {
                outcomes.addAll(new TestRunner(scenario, options, events, cluster, seed).runAll(runDeadline, warm));
                if (runDeadline.expired()) {
                    error = "the run's time ran out after " + Durations.format(runDeadline.total());
                }
            }
        } finally {
            if (cluster != null && warm != null && warm.keep(cluster, error != null)) {
                cluster = null; // kept for the next round (WarmRounds closes it)
            }
            if (cluster != null) {
                try {
                    cluster.close();
                } catch (Exception e) {
                    String msg = "tearing the cluster down failed: " + e.getMessage();
                    events.record(EventKind.CLUSTER_CLOSE_FAILED, null, Map.of("error", msg));
                    error = error == null ? msg : error + "; " + msg;
                }
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        RunResult result = new RunResult(scenario.name(), outcomes, took, error, bootFailure);
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("passed", result.passed());
        end.put("ms", took.toMillis());
        if (error != null) end.put("error", error);
        events.record(EventKind.RUN_END, null, end);
        return result;
    }
}
