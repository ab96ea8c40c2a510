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
            f.lines(ev(0, "run.start", null, Map.of("scenario", "s")));
            assertThat(f.lines(ev(1.5, "node.state", "node1", Map.of("state", "BOOTING", "accelerator", "tcg"))))
                    .containsExactly("[   1.5s] node1 booting (tcg)");
            assertThat(f.lines(ev(12.25, "node.state", "node1", Map.of("state", "READY"))))
                    .containsExactly("[  12.3s] node1 ready after 10.8 s");
            assertThat(f.lines(ev(20, "node.state", "node3", Map.of("state", "CRASHED", "reason", "killed"))))
                    .containsExactly("[  20.0s] node3 crashed (killed)");
        }

        @Test
        void theKvmFallbackIsOneLineForTheClusterInQemusWords() {
            f.lines(ev(0, "run.start", null, Map.of("scenario", "s")));
            assertThat(f.lines(ev(
                            0.9,
                            "node.accelerator.fallback",
                            "node2",
                            Map.of(
                                    "from",
                                    "kvm",
                                    "to",
                                    "tcg",
                                    "reason",
                                    "QEMU exited with status 134 (SIGABRT) 0.7 s after its start: failed to set MSR"
                                            + " 0x10a to 0x69"))))
                    .containsExactly("[   0.9s] KVM failed on node2: every node runs under TCG (QEMU exited with"
                            + " status 134 (SIGABRT) 0.7 s after its start: failed to set MSR 0x10a to 0x69)");
        }

        @Test
        void oneLinePerStepAndTheReasonOfAFailure() {
            f.lines(ev(0, "run.start", null, Map.of("scenario", "s")));
            assertThat(f.lines(ev(2, "step.end", null, Map.of("step", "node1: submit job", "ok", true, "ms", 300))))
                    .containsExactly("[   2.0s]   ok   node1: submit job (300 ms)");
            assertThat(f.lines(ev(
                            3,
                            "step.end",
                            "node3",
                            Map.of("step", "node3: list jobs", "ok", false, "error", "exit 1\nstdout: []"))))
                    .containsExactly(
                            "[   3.0s]   FAIL node3: list jobs", "            exit 1", "            stdout: []");
        }

        @Test
        void faultsAsTheyStartAndEnd() {
            f.lines(ev(0, "run.start", null, Map.of("scenario", "s")));
            assertThat(f.lines(ev(4, "fault.start", "node1", Map.of("faultKind", "isolate", "target", "node1"))))
                    .containsExactly("[   4.0s]   fault  isolate node1");
            assertThat(f.lines(ev(9, "fault.end", "node1", Map.of("faultKind", "isolate", "target", "node1"))))
                    .containsExactly("[   9.0s]   healed isolate node1");
        }

        @Test
        void verdictPerTestWithItsTime() {
            assertThat(f.lines(ev(5, "test.end", null, Map.of("test", "replication", "status", "FAILED", "ms", 65000))))
                    .containsExactly("FAIL replication (1 m 05 s)");
        }

        @Test
        void stepStartsAndCommandsAreQuiet() {
            assertThat(f.lines(ev(1, "step.start", null, Map.of("step", "x")))).isEmpty();
            assertThat(f.lines(ev(1, "command", "node1", Map.of("command", "true", "exit", 0))))
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
                    List.of(
                            new RunReport.Summary("node1", "replication: list", "[{\"job_id\":\"job-0\"}]\n"),
                            new RunReport.Summary("node2", "replication: list", "[{\"job_id\":\"job-0\"}]"),
                            new RunReport.Summary("node3", "replication: list", "line one\nline two")));
            assertThat(f.summary(r))
                    .containsExactly(
                            "",
                            "Summary",
                            "  replication: list",
                            "    node1: [{\"job_id\":\"job-0\"}]",
                            "    node2: [{\"job_id\":\"job-0\"}]",
                            "    node3:",
                            "      line one",
                            "      line two",
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
