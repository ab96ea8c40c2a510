package io.vmcluster.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.events.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ConsoleFormatTest {
    private static final Instant T0 = Instant.parse("2026-11-26T16:00:00Z");

    @Nested
    class Plain {
        private final ConsoleFormat f = new ConsoleFormat(Style.PLAIN);

        @Test
        void oneLinePerNodeBootWithSeconds() {
            f.lines(ev(0, RunEvents.RUN_START, null, Map.of("scenario", "s")));
            assertThat(f.lines(ev(1.5, RunEvents.NODE_BOOT, "node1", Map.of())))
                    .containsExactly("[   1.5s] node1 booting");
            assertThat(f.lines(ev(12.25, RunEvents.NODE_READY, "node1", Map.of("durationMs", 10750))))
                    .containsExactly("[  12.3s] node1 up (10.8 s)");
        }

        @Test
        void oneLinePerStepAndTheMessageOfAFailure() {
            f.lines(ev(0, RunEvents.RUN_START, null, Map.of("scenario", "s")));
            assertThat(f.lines(ev(
                            2,
                            RunEvents.STEP_END,
                            "node1",
                            Map.of("step", "submit job", "outcome", "passed", "durationMs", 300))))
                    .containsExactly("[   2.0s]   ok   node1: submit job (300 ms)");
            assertThat(f.lines(ev(
                            3,
                            RunEvents.STEP_END,
                            "node3",
                            Map.of("step", "list jobs", "outcome", "failed", "message", "exit 1\nstdout: []"))))
                    .containsExactly("[   3.0s]   FAIL node3: list jobs", "          exit 1", "          stdout: []");
        }

        @Test
        void verdictPerSubtestWithItsTime() {
            assertThat(f.lines(ev(
                            5,
                            RunEvents.SUBTEST_END,
                            null,
                            Map.of("subtest", "replication", "outcome", "failed", "durationMs", 65000))))
                    .containsExactly("FAIL replication (1 m 05 s)");
        }

        @Test
        void stepStartsAreQuiet() {
            assertThat(f.lines(ev(1, RunEvents.STEP_START, "node1", Map.of("step", "x"))))
                    .isEmpty();
        }

        @Test
        void summaryShowsEachNodesViewThenTheTally() {
            RunReport r = new RunReport(
                    "s",
                    T0,
                    Duration.ofSeconds(90),
                    List.of(
                            new SubtestReport("replication", Outcome.PASSED, Duration.ofSeconds(3), "", ""),
                            new SubtestReport("partition", Outcome.FAILED, Duration.ofSeconds(4), "why", "")),
                    List.of(new RunReport.Summary("node1", "job list", "[{\"job_id\":\"job-0\"}]\n")));
            assertThat(f.summary(r))
                    .containsExactly(
                            "",
                            "Summary",
                            "  node1: job list",
                            "    [{\"job_id\":\"job-0\"}]",
                            "",
                            "PASS replication (3.0 s)",
                            "FAIL partition (4.0 s)",
                            "    why",
                            "Tests failed: 1 passed, 1 failed, 0 skipped in 1 m 30 s");
        }
    }

    @Nested
    class Colour {
        @Test
        void colourOnlyWhenAsked() {
            ConsoleFormat coloured = new ConsoleFormat(new Style(true));
            assertThat(coloured.verdict("a", Outcome.PASSED, null)).isEqualTo("\u001b[32mPASS\u001b[0m a");
            assertThat(new ConsoleFormat(Style.PLAIN).verdict("a", Outcome.PASSED, null))
                    .doesNotContain("\u001b");
        }

        @Test
        void terminalWithoutNoColorGetsColour() {
            assertThat(Style.detect(true, Map.of()).colour()).isTrue();
            assertThat(Style.detect(true, Map.of("NO_COLOR", "")).colour())
                    .as("an empty NO_COLOR does not count")
                    .isTrue();
            assertThat(Style.detect(true, Map.of("NO_COLOR", "1")).colour()).isFalse();
            assertThat(Style.detect(false, Map.of()).colour())
                    .as("not a terminal")
                    .isFalse();
        }
    }

    private static Event ev(double second, String kind, String node, Map<String, Object> fields) {
        return new Event(T0.plusMillis(Math.round(second * 1000)), kind, node, fields);
    }
}
