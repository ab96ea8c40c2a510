package io.vmcluster.scenario.run;

import io.vmcluster.events.Event;
import io.vmcluster.events.EventSink;
import io.vmcluster.scenario.Scenario;
import io.vmcluster.scenario.TestCase;
import io.vmcluster.scenario.step.FindNodeStep;
import io.vmcluster.scenario.step.SnapshotStep;
import io.vmcluster.scenario.step.Step;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rounds of one scenario on one cluster ({@code run --repeat}, {@code shrink}): the first round
 * boots the cluster and runs every test; the cluster is kept, and every later round starts at the
 * scenario's <b>restart test</b> — the first test whose {@code fresh:} restores a snapshot that an
 * earlier test takes — whose restore puts the cluster back where the first round had it there.
 * The tests before it are not run again (SKIPPED, saying so); the restart test starts with the
 * variables, probes and nemesis count the first round had when it reached it, so a later round
 * sees exactly what the first round's restart test saw. {@link #of} is null for a scenario
 * without a restart test: every round boots.
 *
 * <p>The kept cluster records its events into the round that uses it (one switchable sink). Its
 * node logs (serial, console, QEMU's files) stay in the first round's directory. A round that
 * ends with a run error (time out, teardown failure) or whose restore failed is not trusted: its
 * cluster is closed and the next round boots again. {@link #close} closes the kept cluster (its
 * shutdown's events are recorded nowhere: the last round's events file is closed by then).
 */
public final class WarmRounds implements AutoCloseable {
    /** Where a later round starts, and what the first round knew there. */
    public record Resume(Map<String, String> variables, Map<String, FindNodeStep> probes, int nemesisRuns) {
        public Resume {
            variables = Map.copyOf(variables);
            probes = Map.copyOf(probes);
        }
    }

    private final int restartTest;
    private final String snapshot;
    private final Switching sink = new Switching();
    private ClusterApi kept;
    private Resume resume;
    private Resume reached;
    private boolean restoreFailed;
    private boolean warmRound;

    private WarmRounds(int restartTest, String snapshot) {
        this.restartTest = restartTest;
        this.snapshot = snapshot;
    }

    /** Warm rounds for {@code scenario}, or null when it has no restart test (every round boots). */
    public static WarmRounds of(Scenario scenario) {
        Set<String> taken = new HashSet<>();
        List<TestCase> tests = scenario.tests();
        for (int i = 0; i < tests.size(); i++) {
            TestCase t = tests.get(i);
            if (t.fresh() != null && taken.contains(t.fresh().name().value())) {
                return new WarmRounds(i, t.fresh().name().value());
            }
            collectSnapshots(t.steps(), taken);
        }
        return null;
    }

    private static void collectSnapshots(List<Step> steps, Set<String> into) {
        for (Step s : steps) {
            if (s instanceof SnapshotStep ss && ss.kind() == SnapshotStep.Kind.SNAPSHOT) {
                into.add(ss.name().value());
            } else if (s instanceof io.vmcluster.scenario.step.RepeatStep r) {
                collectSnapshots(r.steps(), into);
            } else if (s instanceof io.vmcluster.scenario.step.ParallelStep p) {
                p.branches().forEach(b -> collectSnapshots(b, into));
            }
        }
    }

    /** The index of the restart test in the scenario's tests. */
    public int restartTest() {
        return restartTest;
    }

    /** The snapshot the restart test restores. */
    public String snapshot() {
        return snapshot;
    }

    /** True while a cluster is kept: the next round restores instead of booting. */
    public boolean warm() {
        return kept != null;
    }

    /** The kept cluster (its events now into {@code events}), or a new one booted by the options' launcher. */
    public ClusterApi cluster(Scenario scenario, RunOptions options, EventSink events, Duration bootTimeout)
            throws Exception {
        sink.target = events;
        reached = null;
        restoreFailed = false;
        warmRound = kept != null;
        if (kept != null) return kept;
        return options.launcher().start(scenario, options, sink, bootTimeout);
    }

    /** Where this round starts: null to run every test (the cluster was just booted). */
    public Resume resume() {
        return kept == null ? null : resume;
    }

    /** The first round reached the restart test with this state. */
    void reached(Resume state) {
        reached = state;
    }

    /** This round's restart test failed at its restore: the cluster is not where the next round needs it. */
    void restoreFailed() {
        restoreFailed = true;
    }

    /** Whether the round just run started from the kept cluster (a restore, not a boot). */
    public boolean lastRoundWasWarm() {
        return warmRound;
    }

    /** Whether the round just run was on a kept cluster and its restart test failed at the restore. */
    public boolean restoreFailedLastRound() {
        return restoreFailed;
    }

    /**
     * After a round: keeps {@code cluster} for the next round (true) or tells the caller to close it
     * (false): when the round had a run error, its restore failed, or a booted round never reached
     * the restart test.
     */
    public boolean keep(ClusterApi cluster, boolean runError) {
        boolean booted = kept == null;
        if (runError || restoreFailed || (booted && reached == null)) {
            kept = null;
            resume = null;
            return false;
        }
        if (booted) resume = reached;
        kept = cluster;
        return true;
    }

    /** Closes the kept cluster, if any. */
    @Override
    public void close() throws Exception {
        ClusterApi c = kept;
        kept = null;
        resume = null;
        // after the last round, whose events file is closed: the shutdown's node events are of no round
        sink.target = EventSink.NONE;
        if (c != null) c.close();
    }

    /** The kept cluster's sink: the events of whichever round uses it now. */
    private static final class Switching implements EventSink {
        volatile EventSink target = EventSink.NONE;

        @Override
        public void record(Event event) {
            target.record(event);
        }
    }
}
