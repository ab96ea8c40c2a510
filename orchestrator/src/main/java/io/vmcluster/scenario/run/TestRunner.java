package io.vmcluster.scenario.run;

import io.vmcluster.events.EventKind;
import io.vmcluster.events.EventSink;
import io.vmcluster.scenario.Scenario;
import io.vmcluster.scenario.TestCase;
import io.vmcluster.time.Deadline;
import io.vmcluster.time.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs a scenario's tests in order on a started cluster. */
public final class TestRunner {
    private final Scenario scenario;
    private final RunOptions options;
    private final EventSink events;
    private final ClusterApi cluster;
    private final long seed;

    public TestRunner(Scenario scenario, RunOptions options, EventSink events, ClusterApi cluster) {
        this(
                scenario,
                options,
                events,
                cluster,
                options.nemesis().seed() == null ? 0 : options.nemesis().seed());
    }

    /** @param seed the run's seed (given or chosen): what nemesis steps without a seed of their own draw from */
    public TestRunner(Scenario scenario, RunOptions options, EventSink events, ClusterApi cluster, long seed) {
        this.seed = seed;
        this.scenario = scenario;
        this.options = options;
        this.events = events;
        this.cluster = cluster;
    }

    /** Every test's outcome, in order. */
    public List<TestOutcome> runAll(Deadline runDeadline) {
        return runAll(runDeadline, null);
    }

    /**
     * Every test's outcome, in order; with {@code warm} (or null) a round on a kept cluster starts
     * at the restart test with the first round's state, and a booted one hands that state over.
     */
    public List<TestOutcome> runAll(Deadline runDeadline, WarmRounds warm) {
        WarmRounds.Resume resume = warm == null ? null : warm.resume();
        Map<String, String> initial = new HashMap<>(scenario.params());
        initial.put("nodes", String.join(" ", cluster.nodes()));
        initial.put("scenario", scenario.name());
        if (resume != null) initial.putAll(resume.variables());
        Variables vars = new Variables(initial);
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "vmc-step-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<TestOutcome> out = new ArrayList<>();
        try {
            StepRunner steps = new StepRunner(
                    cluster, vars, events, options.timing(), scenario.timeouts().step(), pool, options.runDir());
            steps.nemesis(seed, options.nemesis());
            if (resume != null) steps.resume(resume);
            String skipWhy = null;
            for (int i = 0; i < scenario.tests().size(); i++) {
                TestCase t = scenario.tests().get(i);
                if (resume != null && i < warm.restartTest()) {
                    String why = "not run again: this round starts from snapshot '" + warm.snapshot()
                            + "' of the cluster an earlier round booted (restored by test '"
                            + scenario.tests().get(warm.restartTest()).name() + "')";
                    out.add(new TestOutcome(t.name(), TestOutcome.Status.SKIPPED, Duration.ZERO, why, null));
                    end(t, TestOutcome.Status.SKIPPED, Duration.ZERO, why);
                    continue;
                }
                if (warm != null && resume == null && i == warm.restartTest() && skipWhy == null) {
                    warm.reached(steps.state());
                }
                if (skipWhy == null && runDeadline.expired()) {
                    skipWhy = "the run's time (" + Durations.format(runDeadline.total()) + ") ran out";
                }
                if (skipWhy != null) {
                    out.add(new TestOutcome(t.name(), TestOutcome.Status.SKIPPED, Duration.ZERO, skipWhy, null));
                    end(t, TestOutcome.Status.SKIPPED, Duration.ZERO, skipWhy);
                    continue;
                }
                TestOutcome o = runOne(t, steps, runDeadline);
                out.add(o);
                if (warm != null
                        && i == warm.restartTest()
                        && o.failure() != null
                        && String.valueOf(o.failure().location())
                                .equals(String.valueOf(t.fresh().location()))) {
                    warm.restoreFailed();
                }
                if (o.status() == TestOutcome.Status.FAILED && (t.stopOnFailure() || scenario.stopOnFailure())) {
                    skipWhy = "skipped: test '" + t.name() + "' failed and stop_on_failure is set";
                }
                if (o.status() == TestOutcome.Status.FAILED
                        && skipWhy == null
                        && !cluster.continueAfterFailure(t.name())) {
                    skipWhy = "skipped: the cluster was kept for inspection after test '" + t.name() + "' failed";
                }
                if (o.status() == TestOutcome.Status.FAILED
                        && skipWhy == null
                        && i < scenario.tests().size() - 1) {
                    healAfterFailure(t);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    private TestOutcome runOne(TestCase t, StepRunner steps, Deadline runDeadline) {
        events.record(
                EventKind.TEST_START,
                null,
                Map.of("test", t.name(), "at", t.location().toString()));
        Duration bound = runDeadline.cap(options.timing().scale(t.timeout()));
        Deadline d = Deadline.after(bound);
        long start = System.nanoTime();
        TestOutcome o;
        try {
            try {
                steps.runAll(t.stepsToRun(), t.name(), d);
            } finally {
                steps.abandonWorkloads(t.name());
            }
            o = new TestOutcome(
                    t.name(), TestOutcome.Status.PASSED, Duration.ofNanos(System.nanoTime() - start), null, null);
        } catch (StepFailedException e) {
            o = new TestOutcome(
                    t.name(),
                    TestOutcome.Status.FAILED,
                    Duration.ofNanos(System.nanoTime() - start),
                    e.failure().message(),
                    e.failure());
        } catch (RuntimeException e) {
            o = new TestOutcome(
                    t.name(),
                    TestOutcome.Status.FAILED,
                    Duration.ofNanos(System.nanoTime() - start),
                    "internal error: " + e,
                    null);
        }
        if (o.status() == TestOutcome.Status.FAILED) {
            cluster.copyServiceLogsAfterFailure(t.name());
        }
        end(t, o.status(), o.duration(), o.message());
        return o;
    }

    /**
     * A failed test stopped before its own {@code heal}: the faults it left would otherwise cut the
     * next test's cluster for no reason of that test's. Heals every fault still in effect (as a
     * {@code heal} step would) and says so; a passing test's faults stay, as documented.
     */
    private void healAfterFailure(TestCase t) {
        String message = "test '" + t.name() + "' failed: every fault still in effect is healed before the next test";
        try {
            cluster.healAll();
            events.record(EventKind.LOG, null, Map.of("test", t.name(), "message", message));
        } catch (Exception e) {
            events.record(
                    EventKind.LOG,
                    null,
                    Map.of("test", t.name(), "message", message + ", but the heal failed: " + e.getMessage()));
        }
    }

    private void end(TestCase t, TestOutcome.Status status, Duration took, String message) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("test", t.name());
        f.put("status", status.name());
        f.put("ms", took.toMillis());
        if (message != null) f.put("message", message);
        events.record(EventKind.TEST_END, null, f);
    }
}
