package io.vmcluster.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.events.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunRecorderTest {
    private static final Instant T0 = Instant.parse("2026-11-26T16:00:00Z");

    private final RunRecorder recorder = new RunRecorder("fallback");

    @Test
    void assemblesSubtestsFromEvents() {
        at(0, RunEvents.RUN_START, null, Map.of("scenario", "mvm-ci-cluster"));
        at(10, RunEvents.SUBTEST_START, null, Map.of("subtest", "formation"));
        at(12, RunEvents.SUBTEST_END, null, Map.of("subtest", "formation", "outcome", "passed", "durationMs", 2000));
        at(13, RunEvents.SUBTEST_START, null, Map.of("subtest", "replication"));
        at(14, RunEvents.STEP_END, "node2", step("replication", "failed", "[]", "curl: (7) refused"));
        at(15, RunEvents.SUBTEST_END, null, Map.of("subtest", "replication", "outcome", "failed", "message", "boom"));
        at(16, RunEvents.SUMMARY, "node1", Map.of("title", "job list", "text", "[job-0]"));
        at(17, RunEvents.RUN_END, null, Map.of("outcome", "failed", "durationMs", 17000));

        RunReport r = recorder.report();
        assertThat(r.scenario()).isEqualTo("mvm-ci-cluster");
        assertThat(r.duration()).isEqualTo(Duration.ofSeconds(17));
        assertThat(r.subtests()).extracting(SubtestReport::name).containsExactly("formation", "replication");
        assertThat(r.subtests().get(0).duration()).isEqualTo(Duration.ofSeconds(2));
        SubtestReport failed = r.subtests().get(1);
        assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(failed.duration()).as("from start/end times").isEqualTo(Duration.ofSeconds(2));
        assertThat(failed.output())
                .as("a failed subtest without output gets its failed step's")
                .isEqualTo("stdout:\n[]\nstderr:\ncurl: (7) refused");
        assertThat(r.summaries()).containsExactly(new RunReport.Summary("node1", "job list", "[job-0]"));
        assertThat(r.passed()).isFalse();
    }

    @Test
    void aSubtestThatNeverEndedIsAFailure() {
        at(0, RunEvents.SUBTEST_START, null, Map.of("subtest", "partition"));
        at(5, RunEvents.STEP_START, "node1", Map.of("subtest", "partition", "step", "cut"));

        RunReport r = recorder.report();
        assertThat(r.scenario()).isEqualTo("fallback");
        assertThat(r.subtests()).singleElement().satisfies(s -> {
            assertThat(s.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(s.message()).contains("ended before this subtest finished");
            assertThat(s.duration()).isEqualTo(Duration.ofSeconds(5));
        });
    }

    @Test
    void allPassedIsAPass() {
        at(0, RunEvents.SUBTEST_START, null, Map.of("subtest", "a"));
        at(1, RunEvents.SUBTEST_END, null, Map.of("subtest", "a", "outcome", "passed"));
        assertThat(recorder.report().passed()).isTrue();
    }

    @Test
    void noSubtestsIsNotAPass() {
        assertThat(recorder.report().passed())
                .as("a run that ran nothing proves nothing")
                .isFalse();
    }

    private static Map<String, Object> step(String subtest, String outcome, String stdout, String stderr) {
        Map<String, Object> m = new HashMap<>();
        m.put("subtest", subtest);
        m.put("step", "curl /queue/list");
        m.put("outcome", outcome);
        m.put("stdout", stdout);
        m.put("stderr", stderr);
        return m;
    }

    private void at(int second, String kind, String node, Map<String, Object> fields) {
        recorder.accept(new Event(T0.plusSeconds(second), kind, node, fields));
    }
}
