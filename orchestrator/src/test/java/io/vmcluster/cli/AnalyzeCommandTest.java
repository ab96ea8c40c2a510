package io.vmcluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.events.EventKind;
import io.vmcluster.events.JsonLinesEventSink;
import io.vmcluster.history.HistoryWriter;
import io.vmcluster.history.Op;
import io.vmcluster.history.OpFunction;
import io.vmcluster.history.Values;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzeCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        return Vmcluster.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    /** A results directory with a set workload that lost {@code lost} (or nothing) during a partition. */
    private Path run(Long lost) {
        Path results = dir.resolve("results");
        try (JsonLinesEventSink events = JsonLinesEventSink.open(results.resolve("events.jsonl"));
                HistoryWriter h = HistoryWriter.open(
                        results.resolve("history.jsonl"),
                        events,
                        Map.of("workload", "jobs", "history", "history.jsonl", "checkers", List.of("set", "stats")))) {
            for (long v = 1; v <= 5; v++) {
                Op inv = h.invoke(0, OpFunction.ADD, null, Values.of(v), "node1");
                h.ok(inv, inv.value());
                if (v == 2) {
                    events.record(
                            EventKind.FAULT_START,
                            null,
                            Map.of(
                                    "fault",
                                    "f1",
                                    "faultKind",
                                    "partition",
                                    "target",
                                    "[node1] | [node2, node3]",
                                    "applyMs",
                                    0));
                }
            }
            Op read = h.invoke(1, OpFunction.READ, null, Values.NULL, "node2");
            h.ok(
                    read,
                    Values.list(List.of(1L, 2L, 3L, 4L, 5L).stream()
                            .filter(v -> !v.equals(lost))
                            .toList()));
            // Ended after the read, so the window covers the lost add's acknowledgement by the whole
            // read, not by microseconds a busy CI machine may take between two clock readings.
            events.record(EventKind.FAULT_END, null, Map.of("fault", "f1", "faultKind", "partition", "target", "x"));
        }
        return results;
    }

    @Test
    void a_results_directory_with_the_checkers_the_run_recorded() throws Exception {
        Path results = run(null);
        assertThat(execute("analyze", results.toString())).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("set", "VALID", "no acknowledged add lost", "1 fault windows");
        assertThat(Files.readString(results.resolve("checks.json"))).contains("\"valid\" : \"valid\"");
    }

    @Test
    void a_lost_add_exits_1_and_says_when_and_during_which_fault() {
        Path results = run(4L);
        assertThat(execute("analyze", results.resolve("history.jsonl").toString(), "--checker", "set"))
                .isEqualTo(1);
        assertThat(out.toString())
                .contains("1 of 5 acknowledged adds lost: 4; first lost add acknowledged at")
                .contains("during partition [node1] | [node2, node3]");
    }

    @Test
    void a_bad_line_exits_2_naming_its_line() throws Exception {
        Path h = dir.resolve("history.jsonl");
        Files.writeString(
                h,
                "{\"index\":0,\"time\":1,\"process\":0,\"type\":\"invoke\",\"f\":\"add\",\"value\":1}\n"
                        + "{\"index\":1,\"time\":2,\"process\":0,\"type\":\"okk\",\"f\":\"add\",\"value\":1}\n");
        assertThat(execute("analyze", h.toString(), "--checker", "set")).isEqualTo(2);
        assertThat(err.toString())
                .contains("history.jsonl:2: field 'type' is 'okk'")
                .doesNotContain("Exception");
    }

    @Test
    void an_unknown_checker_exits_2_with_a_suggestion() {
        Path results = run(null);
        assertThat(execute("analyze", results.toString(), "--checker", "linearisable"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("unknown checker 'linearisable'; did you mean 'linearizable'?");
    }

    @Test
    void no_checkers_recorded_or_given_exits_2() throws Exception {
        Path h = dir.resolve("history.jsonl");
        Files.writeString(h, "");
        assertThat(execute("analyze", h.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("name them with --checker");
    }

    @Test
    void exports_edn_on_request() throws Exception {
        Path results = run(null);
        assertThat(execute("analyze", results.toString(), "--edn")).isZero();
        assertThat(Files.readAllLines(results.resolve("history.edn")))
                .first()
                .asString()
                .startsWith("{:index 0, :time ")
                .endsWith(":type :invoke, :process 0, :f :add, :value 1, :node \"node1\"}");
    }

    @Test
    void checks_file_names() {
        assertThat(io.vmcluster.checker.CheckResults.fileBeside(Path.of("r/history.jsonl")))
                .isEqualTo(Path.of("r/checks.json"));
        assertThat(io.vmcluster.checker.CheckResults.fileBeside(Path.of("r/w1.history.jsonl")))
                .isEqualTo(Path.of("r/w1.checks.json"));
        assertThat(io.vmcluster.checker.CheckResults.fileBeside(Path.of("r/ops.jsonl")))
                .isEqualTo(Path.of("r/ops.checks.json"));
    }
}
