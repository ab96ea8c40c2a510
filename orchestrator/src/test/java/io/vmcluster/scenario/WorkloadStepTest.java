package io.vmcluster.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmcluster.events.Event;
import io.vmcluster.events.EventSink;
import io.vmcluster.history.History;
import io.vmcluster.history.HistoryReader;
import io.vmcluster.history.OpFunction;
import io.vmcluster.history.Operation;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.scenario.run.RunOptions;
import io.vmcluster.scenario.run.RunResult;
import io.vmcluster.scenario.run.TestOutcome;
import io.vmcluster.time.Timing;
import io.vmcluster.workload.LoopbackCluster;
import io.vmcluster.yaml.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The workload and workload_end steps, against real loopback servers standing in for the nodes. */
class WorkloadStepTest {
    @TempDir
    Path dir;

    final FakeCluster fake = new FakeCluster("node1", "node2", "node3");
    final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    LoopbackCluster servers;

    static final String SET_WORKLOAD = """
            - workload: jobs
              clients: 3
              ops: 60
              seed: 7
              mix:
                - f: add
                  http: {method: POST, port: 80, path: /add, body: "v=${value}"}
              final_read:
                http: {port: 80, path: /list}
                parse: {json: "$[*].v"}
                quiescence: 5s
              checkers: [set, stats]
            """;

    @BeforeEach
    void start() throws Exception {
        servers = new LoopbackCluster("node1", "node2", "node3");
        fake.workloadTarget = servers;
    }

    @AfterEach
    void stop() {
        servers.close();
    }

    Path file(String steps) throws Exception {
        return Files.writeString(
                dir.resolve("s.yaml"),
                "cluster: {nodes: 3}\nparams: {port: \"80\"}\ntests:\n  - name: t\n    steps:\n" + steps.indent(6));
    }

    RunResult run(String steps) throws Exception {
        Scenario s = ScenarioParser.parse(file(steps), Map.of());
        RunOptions o = new RunOptions(
                dir.resolve("results"), Accelerator.TCG, (sc, opt, ev, t) -> fake, Timing.withMultiplier(1));
        EventSink sink = events::add;
        return ScenarioRunner.run(s, o, sink);
    }

    List<String> problems(String steps) throws Exception {
        try {
            ScenarioParser.parse(file(steps), Map.of());
        } catch (ScenarioException e) {
            return e.problems().stream().map(Problem::toString).toList();
        }
        throw new AssertionError("expected problems");
    }

    List<Event> kind(String k) {
        return events.stream().filter(e -> e.kind().equals(k)).toList();
    }

    @Nested
    class Describing {
        String describe(String workload, String steps) throws Exception {
            return ScenarioParser.parse(file(steps + "- workload_end: " + workload + "\n"), Map.of())
                    .tests()
                    .get(0)
                    .steps()
                    .get(0)
                    .describe();
        }

        @Test
        void a_workload_of_clients_says_how_many_for_how_long_and_what_they_do() throws Exception {
            assertThat(describe("jobs", SET_WORKLOAD))
                    .isEqualTo("start workload jobs: 3 clients for 60 ops, add, checked by set, stats");
        }

        @Test
        void a_workload_of_probes_only_names_its_probes_and_no_clients() throws Exception {
            assertThat(describe("leaders", """
                            - workload: leaders
                              duration: 30s
                              probes:
                                - {f: leader-status, command: "echo 1", every: 1s, on: all}
                              checkers: [single-leader-per-term]
                            """))
                    .isEqualTo(
                            "start workload leaders: probes leader-status for 30.0 s, checked by single-leader-per-term");
        }
    }

    @Nested
    class Running {
        @Test
        void a_correct_service_passes_and_the_history_and_checks_are_in_the_results() throws Exception {
            RunResult r = run(SET_WORKLOAD + "- log: the workload runs meanwhile\n- workload_end: jobs\n");
            assertThat(r.tests()).extracting(TestOutcome::status).containsExactly(TestOutcome.Status.PASSED);
            History h = HistoryReader.read(dir.resolve("results/history.jsonl"));
            assertThat(h.operations(OpFunction.ADD)).hasSize(60).allMatch(Operation::isOk);
            assertThat(h.operations(OpFunction.READ)).hasSize(3);
            JsonNode checks = new ObjectMapper()
                    .readTree(dir.resolve("results/checks.json").toFile());
            assertThat(checks.get("valid").asText()).isEqualTo("valid");
            assertThat(checks.get("checkers")).hasSize(2);
            Event start = kind("workload.start").get(0);
            assertThat(start.fields()).containsEntry("history", "history.jsonl").containsEntry("workload", "jobs");
            assertThat(start.fields().get("checkers")).isEqualTo(List.of("set", "stats"));
            assertThat(kind("workload.end").get(0).fields())
                    .containsEntry("valid", "valid")
                    .containsEntry("ok", 60L);
        }

        @Test
        void lost_acknowledged_adds_fail_the_test_with_the_checkers_explanation() throws Exception {
            servers.acksEarly = "node2";
            RunResult r = run(SET_WORKLOAD + "- workload_end: jobs\n");
            TestOutcome t = r.tests().get(0);
            assertThat(t.status()).isEqualTo(TestOutcome.Status.FAILED);
            assertThat(t.message()).contains("set invalid", "acknowledged adds lost", "see checks.json");
        }

        @Test
        void the_workload_runs_in_the_background_while_later_steps_run() throws Exception {
            RunResult r = run("""
                    - workload: slow
                      duration: 1500ms
                      rate: 20
                      mix:
                        - f: add
                          http: {port: "${port}", path: /add, body: "v=${value}"}
                          on: [node1, node2]
                          pick: random
                    - log: during
                    - workload_end: slow
                    """);
            assertThat(r.tests().get(0).status()).isEqualTo(TestOutcome.Status.PASSED);
            List<String> order = events.stream()
                    .filter(e -> e.kind().equals("log") || e.kind().startsWith("workload."))
                    .map(Event::kind)
                    .toList();
            assertThat(order).containsExactly("workload.start", "log", "workload.end");
            History h = HistoryReader.read(dir.resolve("results/history.jsonl"));
            assertThat(h.operations()).extracting(Operation::node).containsOnly("node1", "node2");
        }

        @Test
        void a_node_from_a_captured_variable_is_read_when_each_operation_starts() throws Exception {
            fake.answer = (node, cmd) -> FakeCluster.ok("node3\n");
            RunResult r = run("""
                    - succeed: echo leader
                      on: node1
                      capture: leader
                    - workload: w
                      ops: 10
                      mix:
                        - f: add
                          http: {port: 80, path: /add, body: "v=${value}"}
                          on: ${leader}
                    - workload_end: w
                    """);
            assertThat(r.tests().get(0).status()).isEqualTo(TestOutcome.Status.PASSED);
            History h = HistoryReader.read(dir.resolve("results/history.jsonl"));
            assertThat(h.operations()).extracting(Operation::node).containsOnly("node3");
        }

        @Test
        void workload_end_with_stop_ends_the_clients_at_once_instead_of_at_their_duration() throws Exception {
            long t0 = System.nanoTime();
            RunResult r = run("""
                    - workload: w
                      duration: 10m
                      rate: 20
                      mix:
                        - f: add
                          http: {port: 80, path: /add, body: "v=${value}"}
                      final_read:
                        http: {port: 80, path: /list}
                        parse: {json: "$[*].v"}
                      checkers: [set]
                    - sleep: 1s
                    - workload_end: w
                      stop: true
                    """);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.tests().get(0).status()).as("%s", r.tests()).isEqualTo(TestOutcome.Status.PASSED);
            assertThat(ms).as("ended long before the 10 minutes").isLessThan(60_000);
            assertThat(kind("workload.end").get(0).fields())
                    .as("the clients ran, and the final reads and the checker judged them")
                    .containsEntry("valid", "valid")
                    .doesNotContainKey("abandoned")
                    .satisfies(f -> assertThat((Long) f.get("ok")).isPositive());
            assertThat(kind("step.start").stream()
                            .map(e -> String.valueOf(e.fields().get("step"))))
                    .as("the step says it stops the workload")
                    .anyMatch(d -> d.contains("stop workload w and check its history"));
        }

        @Test
        void a_test_that_fails_before_workload_end_stops_its_workload() throws Exception {
            RunResult r = run("""
                    - workload: w
                      duration: 10m
                      rate: 5
                      mix:
                        - f: add
                          http: {port: 80, path: /add, body: "v=${value}"}
                    - fail: "true"
                      on: node1
                    - workload_end: w
                    """);
            assertThat(r.tests().get(0).status()).isEqualTo(TestOutcome.Status.FAILED);
            assertThat(kind("workload.end").get(0).fields()).containsKey("abandoned");
        }
    }

    @Nested
    class Validation {
        @Test
        void workload_end_must_name_a_running_workload() throws Exception {
            assertThat(problems(SET_WORKLOAD + "- workload_end: job\n"))
                    .anyMatch(p -> p.contains("s.yaml:18")
                            && p.contains("no workload 'job' is running")
                            && p.contains("did you mean 'jobs'"));
        }

        @Test
        void a_workload_never_ended_in_its_test_is_an_error_at_the_workload() throws Exception {
            assertThat(problems(SET_WORKLOAD))
                    .anyMatch(p -> p.contains("s.yaml:6") && p.contains("never ended in test 't'"));
        }

        @Test
        void an_unknown_checker_gets_a_did_you_mean() throws Exception {
            assertThat(problems(SET_WORKLOAD.replace("[set, stats]", "[set, linearisable]") + "- workload_end: jobs\n"))
                    .anyMatch(p -> p.contains("unknown checker 'linearisable'") && p.contains("linearizable"));
        }

        @Test
        void an_operation_needs_exactly_one_transport_and_known_fields() throws Exception {
            assertThat(problems("""
                    - workload: w
                      ops: 1
                      mix:
                        - f: add
                          waight: 2
                    - workload_end: w
                    """))
                    .anyMatch(p -> p.contains("unknown field 'waight'") && p.contains("did you mean 'weight'"))
                    .anyMatch(p -> p.contains("needs one of http, tcp or command"));
        }

        @Test
        void values_in_templates_are_known_but_other_variables_must_exist() throws Exception {
            assertThat(problems("""
                    - workload: w
                      ops: 1
                      mix:
                        - f: write
                          command: "put ${key} ${value} ${nope}"
                    - workload_end: w
                    """)).hasSize(1).allMatch(p -> p.contains("unknown variable ${nope}"));
        }

        @Test
        void a_cas_names_old_and_new_and_nothing_else_does() throws Exception {
            assertThat(problems("""
                    - workload: w
                      ops: 1
                      mix:
                        - f: cas
                          command: "cas ${key} ${old} ${new}"
                        - f: write
                          command: "put ${key} ${old}"
                        - f: cas
                          command: "cas ${key} ${old} ${new}"
                          value: unique
                    - workload_end: w
                    """))
                    .hasSize(2)
                    .anyMatch(p -> p.contains("s.yaml:12:") && p.contains("unknown variable ${old}"))
                    .anyMatch(p -> p.contains("s.yaml:15:") && p.contains("a cas's value is always [old, new]"));
        }
    }
}
