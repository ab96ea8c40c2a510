package io.vmcluster.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.checker.FaultWindows;
import io.vmcluster.checker.SetChecker;
import io.vmcluster.checker.Validity;
import io.vmcluster.checker.Verdict;
import io.vmcluster.command.CommandResult;
import io.vmcluster.history.History;
import io.vmcluster.history.HistoryReader;
import io.vmcluster.history.HistoryWriter;
import io.vmcluster.history.Op;
import io.vmcluster.history.OpFunction;
import io.vmcluster.history.OpType;
import io.vmcluster.history.Operation;
import io.vmcluster.history.Probe;
import io.vmcluster.history.Values;
import io.vmcluster.time.Deadline;
import io.vmcluster.time.Timing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver against real HTTP and TCP servers on loopback (no VM): what it sends, records and classifies. */
class WorkloadTest {
    private static final Timing TIMING = Timing.withMultiplier(1);
    private static final Transport ADD =
            new Transport.Http("POST", LoopbackCluster.HTTP, "/add", Map.of(), "v=${value}");
    private static final OpSpec READ = OpSpec.of(
                    OpFunction.READ, new Transport.Http("GET", LoopbackCluster.HTTP, "/list", Map.of(), null))
            .parse(ValueParser.json("$[*].v"));

    @TempDir
    Path dir;

    LoopbackCluster cluster;

    @BeforeEach
    void servers() throws Exception {
        cluster = new LoopbackCluster("node1", "node2", "node3");
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private History run(WorkloadSpec spec) {
        return run(spec, name -> null).history;
    }

    private record Ran(History history, WorkloadSummary summary) {}

    private Ran run(WorkloadSpec spec, java.util.function.Function<String, String> vars) {
        Path file = dir.resolve(spec.name() + ".history.jsonl");
        WorkloadSummary s;
        try (HistoryWriter h = HistoryWriter.open(file);
                Workload w = Workload.start(spec, cluster, h, TIMING, vars)) {
            s = w.finish(Deadline.after(Duration.ofSeconds(60)));
        }
        assertThat(s.errors()).as("driver errors").isEmpty();
        return new Ran(HistoryReader.read(file), s);
    }

    private static WorkloadSpec.Builder sets(String name) {
        return WorkloadSpec.builder(name)
                .clients(3)
                .ops(150)
                .op(OpSpec.of(OpFunction.ADD, ADD))
                .opTimeout(Duration.ofSeconds(5))
                .finalReads(new FinalReads(READ, Duration.ofSeconds(10)));
    }

    @Nested
    class AgainstASetService {
        @Test
        void every_add_is_recorded_invoked_and_ok_and_the_final_reads_see_them_all() {
            History h = run(sets("set").build());
            List<Operation> adds = h.operations(OpFunction.ADD);
            assertThat(adds).hasSize(150).allMatch(Operation::isOk);
            assertThat(adds.stream().map(o -> o.input().longValue()).distinct().count())
                    .as("unique values")
                    .isEqualTo(150);
            assertThat(adds.stream().map(Operation::node).distinct().toList())
                    .as("round-robin over every node")
                    .containsExactlyInAnyOrder("node1", "node2", "node3");
            List<Operation> reads = h.operations(OpFunction.READ);
            assertThat(reads).hasSize(3).allMatch(Operation::isOk);
            assertThat(reads.get(0).value()).hasSize(150);
            assertThat(reads.stream().map(Operation::node).toList())
                    .containsExactlyInAnyOrder("node1", "node2", "node3");
            assertThat(new SetChecker(false).check(h, FaultWindows.none()).validity())
                    .isEqualTo(Validity.VALID);
        }

        @Test
        void a_node_that_acks_early_loses_acknowledged_adds_and_the_set_checker_says_which() {
            cluster.acksEarly = "node2";
            History h = run(sets("ack-early").build());
            Verdict v = new SetChecker(false).check(h, FaultWindows.none());
            assertThat(v.validity()).isEqualTo(Validity.INVALID);
            long lostOnNode2 = h.operations(OpFunction.ADD).stream()
                    .filter(o -> o.node().equals("node2"))
                    .count();
            assertThat(v.details()).containsEntry("lost-count", (int) lostOnNode2);
        }

        @Test
        void the_clients_are_concurrent_processes_doing_one_operation_at_a_time() {
            History h = run(sets("procs").build());
            assertThat(h.operations(OpFunction.ADD).stream()
                            .map(Operation::process)
                            .distinct())
                    .containsExactlyInAnyOrder(0L, 1L, 2L);
            assertThat(h.operations(OpFunction.READ).stream().map(Operation::process))
                    .as("final readers are processes of their own")
                    .containsExactlyInAnyOrder(3L, 4L, 5L);
        }

        @Test
        void a_duration_bounds_the_run_and_a_rate_paces_it() {
            WorkloadSpec spec = WorkloadSpec.builder("paced")
                    .clients(4)
                    .duration(Duration.ofMillis(1500))
                    .rate(40)
                    .op(OpSpec.of(OpFunction.ADD, ADD))
                    .build();
            Ran r = run(spec, n -> null);
            long adds = r.history.operations(OpFunction.ADD).size();
            assertThat(adds)
                    .as("at most 40/s for 1.5 s (61 slots), and not far below")
                    .isBetween(30L, 62L);
            assertThat(r.summary.elapsed()).isLessThan(Duration.ofSeconds(3));
        }

        @Test
        void nodes_can_be_fixed_random_from_the_seed_or_read_from_a_variable_per_op() {
            AtomicReference<String> leader = new AtomicReference<>("node3");
            WorkloadSpec spec = WorkloadSpec.builder("picks")
                    .ops(60)
                    .seed(42)
                    .op(OpSpec.of(OpFunction.ADD, ADD).on(NodePick.fixed("node1")))
                    .op(OpSpec.of(OpFunction.of("add-random"), ADD).on(NodePick.random(List.of("node2", "node3"))))
                    .op(OpSpec.of(OpFunction.of("add-leader"), ADD).on(NodePick.dynamic("${leader}", leader::get)))
                    .build();
            History h = run(spec);
            assertThat(h.operations(OpFunction.ADD)).extracting(Operation::node).containsOnly("node1");
            assertThat(h.operations(OpFunction.of("add-random")))
                    .extracting(Operation::node)
                    .containsOnly("node2", "node3");
            assertThat(h.operations(OpFunction.of("add-leader")))
                    .extracting(Operation::node)
                    .containsOnly("node3");
            History again = run(WorkloadSpec.builder("picks2")
                    .ops(60)
                    .seed(42)
                    .op(OpSpec.of(OpFunction.ADD, ADD).on(NodePick.fixed("node1")))
                    .op(OpSpec.of(OpFunction.of("add-random"), ADD).on(NodePick.random(List.of("node2", "node3"))))
                    .op(OpSpec.of(OpFunction.of("add-leader"), ADD).on(NodePick.dynamic("${leader}", leader::get)))
                    .build());
            assertThat(fs(again)).as("the same seed, the same mix").isEqualTo(fs(h));
        }

        private List<String> fs(History h) {
            // with one client the sequence of functions is the seed's
            return h.ops().stream().filter(Op::isInvoke).map(o -> o.f().name()).toList();
        }
    }

    @Nested
    class Classification {
        private Operation one(Transport t, Expect e) {
            WorkloadSpec spec = WorkloadSpec.builder("one")
                    .ops(1)
                    .opTimeout(Duration.ofMillis(700))
                    .op(OpSpec.of(OpFunction.WRITE, t).expect(e).on(NodePick.fixed("node1")))
                    .build();
            return run(spec).operations().get(0);
        }

        private Transport status(int code) {
            return new Transport.Http("GET", LoopbackCluster.HTTP, "/status/" + code, Map.of(), null);
        }

        @Test
        void http_2xx_is_ok_4xx_is_fail_and_5xx_is_info_by_default() {
            assertThat(one(status(201), Expect.DEFAULTS).type()).isEqualTo(OpType.OK);
            Operation notFound = one(status(404), Expect.DEFAULTS);
            assertThat(notFound.type()).isEqualTo(OpType.FAIL);
            assertThat(notFound.completion().error()).startsWith("HTTP 404");
            assertThat(one(status(503), Expect.DEFAULTS).type()).isEqualTo(OpType.INFO);
        }

        @Test
        void expect_can_declare_a_documented_error_a_definite_failure() {
            assertThat(one(status(503), Expect.DEFAULTS.withFail(Set.of(503))).type())
                    .isEqualTo(OpType.FAIL);
            assertThat(one(status(200), Expect.DEFAULTS.withOkMatches("nothing like this"))
                            .type())
                    .as("ok code but not the expected output: unknown")
                    .isEqualTo(OpType.INFO);
            assertThat(one(status(200), Expect.DEFAULTS.withFailMatches("status"))
                            .type())
                    .isEqualTo(OpType.FAIL);
        }

        @Test
        void a_refused_connection_is_fail_nothing_was_sent() {
            Operation o = one(new Transport.Http("GET", 9999, "/", Map.of(), null), Expect.DEFAULTS);
            assertThat(o.type()).isEqualTo(OpType.FAIL);
            assertThat(o.completion().error()).contains("refused");
        }

        @Test
        void no_answer_within_the_bound_is_info_and_the_client_continues_as_a_new_process() {
            WorkloadSpec spec = WorkloadSpec.builder("hang")
                    .ops(2)
                    .opTimeout(Duration.ofMillis(400))
                    .op(OpSpec.of(
                            OpFunction.WRITE, new Transport.Http("GET", LoopbackCluster.HTTP, "/hang", Map.of(), null)))
                    .build();
            List<Operation> ops = run(spec).operations();
            assertThat(ops).extracting(Operation::type).containsExactly(OpType.INFO, OpType.INFO);
            assertThat(ops.get(0).completion().error()).startsWith("timeout after");
            assertThat(ops).extracting(Operation::process).containsExactly(0L, 4L);
        }

        @Test
        void a_raw_tcp_request_reads_its_reply_up_to_the_terminator() {
            WorkloadSpec spec = WorkloadSpec.builder("tcp")
                    .ops(5)
                    .op(OpSpec.of(OpFunction.of("generate"), new Transport.Tcp(LoopbackCluster.TCP, "INC\n", "\n"))
                            .value(ValueKind.NONE)
                            .parse(ValueParser.text())
                            .expect(Expect.DEFAULTS.withFailMatches("^ERR")))
                    .build();
            List<Operation> ops = run(spec).operations();
            assertThat(ops).allMatch(Operation::isOk);
            assertThat(ops).extracting(o -> o.value().longValue()).containsExactly(1L, 2L, 3L, 4L, 5L);
            WorkloadSpec bad = WorkloadSpec.builder("tcp-bad")
                    .ops(1)
                    .op(OpSpec.of(OpFunction.of("generate"), new Transport.Tcp(LoopbackCluster.TCP, "DEC\n", "\n"))
                            .expect(Expect.DEFAULTS.withFailMatches("^ERR")))
                    .build();
            assertThat(run(bad).operations().get(0).type()).isEqualTo(OpType.FAIL);
        }

        @Test
        void guest_commands_get_value_key_and_variables_substituted_and_exit_codes_classified() {
            List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            cluster.guest = (node, cmd) -> {
                seen.add(node + ": " + cmd);
                if (cmd.contains("slow")) return null; // a timeout
                int exit = cmd.contains("k2") ? 1 : 0;
                return CommandResult.ofText(node, cmd, exit, "", exit == 1 ? "Error: key locked" : "", Duration.ZERO);
            };
            WorkloadSpec spec = WorkloadSpec.builder("guest")
                    .ops(30)
                    .keys(3)
                    .seed(3)
                    .op(OpSpec.of(OpFunction.WRITE, new Transport.Guest("kv put ${key} ${value} --at ${where}")))
                    .build();
            History h = run(spec, name -> name.equals("where") ? "here" : null).history;
            assertThat(seen).allMatch(s -> s.matches("node\\d: kv put k[123] \\d+ --at here"));
            for (Operation o : h.operations()) {
                String key = o.key().textValue();
                assertThat(seen)
                        .contains(o.node() + ": kv put " + key + " " + o.input().longValue() + " --at here");
                assertThat(o.type())
                        .as("a non-zero exit says nothing of whether a write happened: info")
                        .isEqualTo(key.equals("k2") ? OpType.INFO : OpType.OK);
            }
            WorkloadSpec failing = WorkloadSpec.builder("guest-fail")
                    .ops(1)
                    .op(OpSpec.of(OpFunction.WRITE, new Transport.Guest("kv put k2 1"))
                            .expect(Expect.DEFAULTS.withFailMatches("key locked")))
                    .build();
            assertThat(run(failing).operations().get(0).type()).isEqualTo(OpType.FAIL);
            WorkloadSpec slow = WorkloadSpec.builder("guest-slow")
                    .ops(1)
                    .op(OpSpec.of(OpFunction.WRITE, new Transport.Guest("slow")))
                    .build();
            Operation o = run(slow).operations().get(0);
            assertThat(o.type()).isEqualTo(OpType.INFO);
            assertThat(o.completion().error()).startsWith("timeout after");
        }

        @Test
        void a_variable_without_a_value_fails_the_operation_unsent() {
            WorkloadSpec spec = WorkloadSpec.builder("unset")
                    .ops(1)
                    .op(OpSpec.of(OpFunction.WRITE, new Transport.Guest("echo ${nope}")))
                    .build();
            Operation o = run(spec).operations().get(0);
            assertThat(o.type()).isEqualTo(OpType.FAIL);
            assertThat(o.completion().error()).contains("${nope}");
        }
    }

    /**
     * A register per key behind guest commands: {@code reg put K V}, {@code reg get K}, {@code
     * reg cas K old=O new=N} (prints FAILED when the key does not hold O). {@code dropEvery}: every
     * n-th cas is acknowledged without being applied (0: never), the bug a cas workload must show.
     */
    static final class Registers implements java.util.function.BiFunction<String, String, CommandResult> {
        private static final java.util.regex.Pattern CMD =
                java.util.regex.Pattern.compile("reg (put|get|cas) (\\S+)(?: (\\S+))?(?: old=(\\S*) new=(\\S+))?");
        final Map<String, String> values = new java.util.HashMap<>();
        final int dropEvery;
        int cases;

        Registers(int dropEvery) {
            this.dropEvery = dropEvery;
        }

        @Override
        public synchronized CommandResult apply(String node, String cmd) {
            java.util.regex.Matcher m = CMD.matcher(cmd);
            if (!m.matches()) return CommandResult.ofText(node, cmd, 2, "", "usage", Duration.ZERO);
            String key = m.group(2);
            String out = switch (m.group(1)) {
                case "put" -> {
                    values.put(key, m.group(3));
                    yield "OK";
                }
                case "get" -> values.getOrDefault(key, "");
                default -> {
                    String held = values.getOrDefault(key, "");
                    if (!held.equals(m.group(4))) yield "FAILED";
                    if (dropEvery == 0 || ++cases % dropEvery != 0) values.put(key, m.group(5));
                    yield "OK";
                }
            };
            return CommandResult.ofText(node, cmd, 0, out, "", Duration.ZERO);
        }
    }

    private static WorkloadSpec registers(String name, int clients) {
        return WorkloadSpec.builder(name)
                .clients(clients)
                .ops(300)
                .keys(2)
                .seed(5)
                .opTimeout(Duration.ofSeconds(5))
                .op(OpSpec.of(OpFunction.WRITE, new Transport.Guest("reg put ${key} ${value}")))
                .op(OpSpec.of(OpFunction.CAS, new Transport.Guest("reg cas ${key} old=${old} new=${new}"))
                        .weight(3)
                        .expect(Expect.DEFAULTS.withFailMatches("FAILED")))
                .op(OpSpec.of(OpFunction.READ, new Transport.Guest("reg get ${key}"))
                        .weight(2))
                .build();
    }

    @Nested
    class CompareAndSet {
        @Test
        void a_cas_expects_what_its_key_was_last_seen_to_hold_and_sets_a_new_unique_value() {
            cluster.guest = new Registers(0);
            History h = run(registers("cas-one", 1));
            List<Operation> ops = h.operations();
            assertThat(ops).hasSize(300);
            Map<String, com.fasterxml.jackson.databind.JsonNode> held = new java.util.HashMap<>();
            java.util.Set<Long> written = new java.util.HashSet<>();
            for (Operation o : ops) {
                String key = o.key().textValue();
                com.fasterxml.jackson.databind.JsonNode before = held.getOrDefault(key, Values.NULL);
                if (o.f().equals(OpFunction.CAS)) {
                    assertThat(o.input().size()).as("[old, new]").isEqualTo(2);
                    assertThat(o.input().get(0))
                            .as("one client: the old value is exactly what the key holds")
                            .isEqualTo(before);
                    assertThat(o.isOk()).as("so every cas succeeds").isTrue();
                }
                if (o.f().equals(OpFunction.WRITE) || o.f().equals(OpFunction.CAS)) {
                    com.fasterxml.jackson.databind.JsonNode v =
                            o.f().equals(OpFunction.CAS) ? o.input().get(1) : o.input();
                    assertThat(written.add(v.longValue()))
                            .as("new values are unique")
                            .isTrue();
                    held.put(key, v);
                }
                if (o.f().equals(OpFunction.READ)) assertThat(o.value()).isEqualTo(before);
            }
            assertThat(h.operations(OpFunction.CAS)).hasSizeGreaterThan(100);
            assertThat(io.vmcluster.checker.LinearizableChecker.register()
                            .check(h, FaultWindows.none())
                            .validity())
                    .isEqualTo(Validity.VALID);
        }

        @Test
        void concurrent_cas_on_a_linearizable_register_passes() {
            cluster.guest = new Registers(0);
            History h = run(registers("cas-three", 3));
            Verdict v = io.vmcluster.checker.LinearizableChecker.register().check(h, FaultWindows.none());
            assertThat(v.validity()).as("%s", v.explanation()).isEqualTo(Validity.VALID);
            assertThat(h.operations(OpFunction.CAS)).anyMatch(Operation::isOk);
        }

        @Test
        void a_register_that_acknowledges_a_cas_it_does_not_apply_is_caught() {
            cluster.guest = new Registers(4);
            History h = run(registers("cas-dropped", 1));
            Verdict v = io.vmcluster.checker.LinearizableChecker.register().check(h, FaultWindows.none());
            assertThat(v.validity()).as("%s", v.explanation()).isEqualTo(Validity.INVALID);
        }
    }

    @Nested
    class Probes {
        @Test
        void a_probe_samples_every_node_into_the_history_until_the_workload_ends() {
            cluster.guest = (node, cmd) ->
                    CommandResult.ofText(node, cmd, 0, "{\"term\": 2, \"leader\": \"node1\"}", "", Duration.ZERO);
            WorkloadSpec spec = WorkloadSpec.builder("probes")
                    .duration(Duration.ofMillis(600))
                    .rate(20)
                    .op(OpSpec.of(OpFunction.ADD, ADD))
                    .probe(ProbeSpec.of(OpFunction.LEADER_STATUS, "status ${node}", Duration.ofMillis(100)))
                    .build();
            History h = run(spec);
            assertThat(h.probes()).hasSizeGreaterThanOrEqualTo(9);
            assertThat(h.probes().stream().map(p -> p.node()).distinct()).hasSize(3);
            assertThat(h.probes().get(0).term()).contains(2L);
            assertThat(h.probes().get(0).leader()).contains(Values.of("node1"));
        }

        @Test
        void a_node_that_is_booting_is_not_sampled_and_gets_no_guest_command() {
            java.util.Set<String> sent = java.util.concurrent.ConcurrentHashMap.newKeySet();
            cluster.guest = (node, cmd) -> {
                sent.add(node);
                return CommandResult.ofText(node, cmd, 0, "{\"term\": 2, \"leader\": \"node1\"}", "", Duration.ZERO);
            };
            cluster.booting.add("node2");
            WorkloadSpec spec = WorkloadSpec.builder("booting")
                    .ops(6)
                    .op(OpSpec.of(OpFunction.WRITE, new Transport.Guest("kv put k ${value}")))
                    .probe(ProbeSpec.of(OpFunction.LEADER_STATUS, "status", Duration.ofMillis(50)))
                    .build();
            History h = run(spec);
            assertThat(sent).doesNotContain("node2").contains("node1", "node3");
            List<Probe> node2 =
                    h.probes().stream().filter(p -> p.node().equals("node2")).toList();
            assertThat(node2).isNotEmpty().allSatisfy(p -> {
                assertThat(p.answered()).isFalse();
                assertThat(p.error()).isEqualTo("node node2 is BOOTING: not sampled");
            });
            List<Operation> toNode2 = h.operations().stream()
                    .filter(o -> "node2".equals(o.invoke().node()))
                    .toList();
            assertThat(toNode2).isNotEmpty().allSatisfy(o -> {
                assertThat(o.type()).isEqualTo(OpType.FAIL);
                assertThat(o.completion().error())
                        .isEqualTo(
                                "node node2 is BOOTING: `kv put k " + o.input().asText() + "` not sent");
            });
        }

        @Test
        void a_workload_of_probes_only_samples_for_its_duration() {
            cluster.guest = (node, cmd) -> CommandResult.ofText(node, cmd, 0, "{\"term\": 3}", "", Duration.ZERO);
            WorkloadSpec spec = WorkloadSpec.builder("probes-only")
                    .duration(Duration.ofMillis(800))
                    .probe(ProbeSpec.of(OpFunction.LEADER_STATUS, "status", Duration.ofMillis(100)))
                    .build();
            Ran r = run(spec, n -> null);
            assertThat(r.history.ops()).isEmpty();
            assertThat(r.history.probes().size())
                    .as("about 8 samples per node in 800 ms")
                    .isGreaterThanOrEqualTo(9);
            assertThat(r.summary.probeSamples()).isEqualTo(r.history.probes().size());
        }
    }
}
