package io.vmcluster.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.events.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunRecorderTest {
    private static final Instant T0 = Instant.parse("2026-11-26T16:00:00Z");

    private final RunRecorder recorder = new RunRecorder("fallback");

    @Test
    void assemblesTestsFromEvents() {
        at(0, "run.start", null, Map.of("scenario", "mvm-ci-cluster", "tests", List.of("formation", "replication")));
        at(10, "test.start", null, Map.of("test", "formation"));
        at(12, "test.end", null, Map.of("test", "formation", "status", "PASSED", "ms", 2000));
        at(13, "test.start", null, Map.of("test", "replication"));
        at(14, "show", "node1", Map.of("test", "replication", "command", "curl -s /queue/list", "stdout", "[job-0]"));
        at(15, "test.end", null, Map.of("test", "replication", "status", "FAILED", "message", "step failed at x:3:7"));
        at(17, "run.end", null, Map.of("passed", false, "ms", 17000));

        RunReport r = recorder.report();
        assertThat(r.scenario()).isEqualTo("mvm-ci-cluster");
        assertThat(r.duration()).isEqualTo(Duration.ofSeconds(17));
        assertThat(r.subtests()).extracting(SubtestReport::name).containsExactly("formation", "replication");
        assertThat(r.subtests().get(0).duration()).isEqualTo(Duration.ofSeconds(2));
        SubtestReport failed = r.subtests().get(1);
        assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(failed.duration())
                .as("from start/end times when ms is absent")
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(failed.message()).isEqualTo("step failed at x:3:7");
        assertThat(r.summaries())
                .containsExactly(new RunReport.Summary("node1", "replication: curl -s /queue/list", "[job-0]"));
        assertThat(r.passed()).isFalse();
    }

    @Test
    void aTestThatNeverEndedIsAFailure() {
        at(0, "test.start", null, Map.of("test", "partition"));
        at(5, "step.start", null, Map.of("test", "partition", "step", "cut"));

        RunReport r = recorder.report();
        assertThat(r.scenario()).isEqualTo("fallback");
        assertThat(r.subtests()).singleElement().satisfies(s -> {
            assertThat(s.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(s.message()).contains("ended before this test finished");
            assertThat(s.duration()).isEqualTo(Duration.ofSeconds(5));
        });
    }

    @Test
    void aClusterThatDidNotStartFailsTheRunAndSkipsEveryTest() {
        at(0, "run.start", null, Map.of("scenario", "s", "tests", List.of("a", "b")));
        at(30, "cluster.failed", null, Map.of("error", "the cluster did not start: node2 not ready"));
        at(31, "run.end", null, Map.of("passed", false, "ms", 31000, "error", "the cluster did not start: node2"));

        RunReport r = recorder.report();
        assertThat(r.subtests())
                .extracting(SubtestReport::name, SubtestReport::outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(RunRecorder.RUN_CASE, Outcome.FAILED),
                        org.assertj.core.groups.Tuple.tuple("a", Outcome.SKIPPED),
                        org.assertj.core.groups.Tuple.tuple("b", Outcome.SKIPPED));
        assertThat(r.subtests().get(0).message()).contains("did not start");
        assertThat(r.passed()).as("a run that booted nothing is not green").isFalse();
    }

    @Test
    void allPassedIsAPass() {
        at(0, "test.start", null, Map.of("test", "a"));
        at(1, "test.end", null, Map.of("test", "a", "status", "PASSED"));
        assertThat(recorder.report().passed()).isTrue();
    }

    @Test
    void noTestsIsNotAPass() {
        assertThat(recorder.report().passed())
                .as("a run that ran nothing proves nothing")
                .isFalse();
    }

    private void at(int second, String kind, String node, Map<String, Object> fields) {
        recorder.accept(new Event(T0.plusSeconds(second), kind, node, fields));
    }

    @Test
    void collectsEachTestsStepsWithTheirTimesOutcomesAndNesting() {
        SampleRun.events().forEach(recorder);
        SubtestReport failed = recorder.report().subtests().get(1);
        assertThat(failed.started()).isEqualTo(SampleRun.T0.plusSeconds(22));
        assertThat(failed.steps())
                .extracting(StepReport::step, StepReport::outcome, StepReport::node)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("crash node3", Outcome.PASSED, null),
                        org.assertj.core.groups.Tuple.tuple("restart node3", Outcome.PASSED, null),
                        org.assertj.core.groups.Tuple.tuple("isolate node1", Outcome.PASSED, null),
                        org.assertj.core.groups.Tuple.tuple(
                                "wait until on node2: curl -sf http://localhost:3020/queue/list",
                                Outcome.FAILED,
                                "node2"));
        assertThat(failed.steps().get(3).duration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(failed.steps().get(3).error()).isEqualTo("timed out");
    }

    @Test
    void stepsInsideARepeatAreNestedAndParallelBranchesEndTheirOwnStep() {
        at(0, "test.start", null, Map.of("test", "t"));
        at(1, "step.start", null, Map.of("test", "t", "step", "parallel", "at", "f:1:1"));
        at(1, "step.start", null, Map.of("test", "t", "step", "branch a", "at", "f:2:3"));
        at(1, "step.start", null, Map.of("test", "t", "step", "branch b", "at", "f:3:3"));
        at(2, "step.end", null, Map.of("test", "t", "step", "branch a", "at", "f:2:3", "ok", true, "ms", 1000));
        at(
                4,
                "step.end",
                "n2",
                Map.of("test", "t", "step", "branch b", "at", "f:3:3", "ok", false, "ms", 3000, "error", "exit 1"));
        at(4, "step.end", null, Map.of("test", "t", "step", "parallel", "at", "f:1:1", "ok", false, "ms", 3000));
        at(5, "step.start", null, Map.of("test", "t", "step", "left open", "at", "f:4:1"));
        List<StepReport> steps = recorder.report().subtests().get(0).steps();
        assertThat(steps)
                .extracting(
                        StepReport::step, StepReport::depth, StepReport::outcome, s -> s.ended() ? s.duration() : null)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("parallel", 0, Outcome.FAILED, Duration.ofSeconds(3)),
                        org.assertj.core.groups.Tuple.tuple("branch a", 1, Outcome.PASSED, Duration.ofSeconds(1)),
                        org.assertj.core.groups.Tuple.tuple("branch b", 1, Outcome.FAILED, Duration.ofSeconds(3)),
                        org.assertj.core.groups.Tuple.tuple("left open", 0, Outcome.FAILED, null));
    }
}
