package io.vmcluster.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.events.Event;
import io.vmcluster.events.EventSink;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.scenario.run.RunOptions;
import io.vmcluster.scenario.run.RunResult;
import io.vmcluster.scenario.run.TestOutcome.Status;
import io.vmcluster.time.Timing;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Runner logic against a scripted cluster; the real proof is the ITs on real VMs. */
class ScenarioRunnerTest {
    final FakeCluster cluster = new FakeCluster("node1", "node2", "node3");
    final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    final EventSink sink = events::add;

    RunResult run(String yaml) {
        Scenario s = ScenarioParser.parse(yaml, Path.of("r.yaml"), Map.of());
        RunOptions o = new RunOptions(
                Path.of("target/run"), Accelerator.TCG, (sc, opt, ev, t) -> cluster, Timing.withMultiplier(1));
        return ScenarioRunner.run(s, o, sink);
    }

    static String scenario(String tests) {
        return "cluster: {nodes: 3}\nparams: {who: world}\n" + tests;
    }

    @Test
    void aFailingStepFailsItsTestWithTheEvidenceAndLaterTestsStillRun() {
        cluster.answer =
                (node, cmd) -> cmd.startsWith("bad") ? FakeCluster.exit(7, "out-text", "err-text") : FakeCluster.ok("");
        RunResult r = run(scenario("""
                tests:
                  - name: first
                    steps:
                      - succeed: bad thing
                        on: node2
                  - name: second
                    steps:
                      - succeed: "true"
                        on: node1
                """));
        assertThat(r.test("first").status()).isEqualTo(Status.FAILED);
        var f = r.test("first").failure();
        assertThat(f.node()).isEqualTo("node2");
        assertThat(f.command()).isEqualTo("bad thing");
        assertThat(f.exitCode()).isEqualTo(7);
        assertThat(f.location().line()).isEqualTo(6);
        assertThat(r.test("first").message())
                .contains("r.yaml:6:", "node2", "bad thing", "exit:    7", "out-text", "err-text");
        assertThat(r.test("second").status())
                .as("later tests run after a failure")
                .isEqualTo(Status.PASSED);
        assertThat(r.passed()).isFalse();
        assertThat(cluster.closed).as("the cluster is always closed").isTrue();
    }

    @Test
    void stopOnFailureSkipsTheRest() {
        cluster.answer = (node, cmd) -> FakeCluster.exit(1, "", "");
        RunResult r = run(scenario("""
                tests:
                  - name: first
                    stop_on_failure: true
                    steps: [{succeed: x, on: node1}]
                  - name: second
                    steps: [{succeed: y, on: node1}]
                """));
        assertThat(r.test("second").status()).isEqualTo(Status.SKIPPED);
        assertThat(r.test("second").message()).contains("stop_on_failure");
        assertThat(cluster.log).containsExactly("node1: x");
        assertThat(cluster.serviceLogCopies)
                .as("the service logs are copied right after the test failed")
                .containsExactly("first after 1 commands");
    }

    @Test
    void aFailedTestsFaultsAreHealedBeforeTheNextTestAndAPassingTestsStay() {
        cluster.answer = (node, cmd) -> cmd.equals("bad") ? FakeCluster.exit(1, "", "") : FakeCluster.ok("");
        RunResult r = run(scenario("""
                tests:
                  - name: leaves a fault and passes
                    steps:
                      - isolate: node1
                  - name: fails before its heal
                    steps:
                      - isolate: node2
                      - succeed: bad
                        on: node3
                      - heal:
                  - name: next
                    steps:
                      - succeed: after
                        on: node3
                """));
        assertThat(r.test("fails before its heal").status()).isEqualTo(Status.FAILED);
        assertThat(cluster.log)
                .as("no heal after the passing test; one after the failed one, before the next test")
                .hasSize(5)
                .endsWith("node3: bad", "heal", "node3: after");
        assertThat(cluster.log.get(0)).startsWith("fault: ");
        assertThat(cluster.log.get(1)).startsWith("fault: ");
        assertThat(events)
                .filteredOn(e -> e.kind().equals("log"))
                .extracting(e -> String.valueOf(e.fields().get("message")))
                .containsExactly(
                        "test 'fails before its heal' failed: every fault still in effect is healed before the next test");
    }

    @Test
    void aPassingTestLeavesTheServiceLogsForTheEndOfTheRun() {
        RunResult r = run(scenario("""
                tests:
                  - name: fine
                    steps: [{succeed: x, on: node1}]
                """));
        assertThat(r.passed()).isTrue();
        assertThat(cluster.serviceLogCopies).isEmpty();
    }

    @Test
    void capturesAndParamsAreSubstitutedAndNodeIsPerNode() {
        cluster.answer = (node, cmd) -> FakeCluster.ok(cmd.equals("whoami") ? " node3 \n" : "");
        RunResult r = run(scenario("""
                tests:
                  - name: t
                    steps:
                      - exec: whoami
                        on: node2
                        capture: leader
                      - succeed: echo ${who} ${leader} on ${node} $HOME $${literal}
                        on: [node1]
                      - crash: ${leader}
                """));
        assertThat(r.passed()).as(String.valueOf(r.tests())).isTrue();
        assertThat(cluster.log).contains("node1: echo world node3 on node1 $HOME ${literal}", "node3: CRASH");
        assertThat(events)
                .filteredOn(e -> e.kind().equals("step.start"))
                .extracting(e -> String.valueOf(e.fields().get("step")))
                .as("the step as people read it: known values in, ${node} as written")
                .anyMatch(step -> step.contains("echo world node3 on ${node}"))
                .anyMatch(step -> step.contains("node3") && step.toLowerCase().contains("crash"));
    }

    @Test
    void waitUntilRetriesUntilTheCheckHolds() {
        AtomicInteger tries = new AtomicInteger();
        cluster.answer = (node, cmd) -> FakeCluster.ok(tries.incrementAndGet() >= 3 ? "job-1" : "[]");
        RunResult r = run(scenario("""
                tests:
                  - name: t
                    steps:
                      - wait_until: list
                        on: node1
                        expect: {stdout_contains: job-1}
                        interval: 50ms
                        timeout: 10s
                """));
        assertThat(r.passed()).isTrue();
        assertThat(tries.get()).isEqualTo(3);
    }

    @Test
    void waitUntilTimesOutWithWhatTheLastTrySaw() {
        cluster.answer = (node, cmd) -> FakeCluster.ok("[]");
        RunResult r = run(scenario("""
                tests:
                  - name: t
                    steps:
                      - wait_until: list
                        on: node3
                        expect: {stdout_contains: job-1}
                        interval: 50ms
                        timeout: 400ms
                """));
        var t = r.test("t");
        assertThat(t.status()).isEqualTo(Status.FAILED);
        assertThat(t.message()).contains("timed out", "node3", "does not contain 'job-1'", "stdout:  []");
        assertThat(t.duration().toMillis()).isBetween(350L, 5_000L);
    }

    @Test
    void aCommandThatCannotCompleteInsideAWaitIsRetriedAndReportedOnce() {
        AtomicInteger tries = new AtomicInteger();
        cluster.answer = (node, cmd) -> {
            tries.incrementAndGet();
            throw new IllegalStateException("[node1 console] command did not finish within 1 s");
        };
        RunResult r = run(scenario("""
                tests:
                  - name: t
                    steps:
                      - wait_until: probe
                        on: node1
                        interval: 50ms
                        timeout: 500ms
                """));
        assertThat(tries.get()).as("retried").isGreaterThan(1);
        String reason = r.test("t").failure().reason();
        assertThat(reason).contains("the command did not complete: [node1 console] command did not finish");
        assertThat(reason).as("no nested step failure").doesNotContain("step failed at");
    }

    @Test
    void findNodeWaitsForExactlyOneMatch() {
        // Nodes are asked in parallel, so each node counts its own rounds: first no leader, then
        // every node claims it (an election in progress), then node2 alone.
        Map<String, AtomicInteger> rounds = new java.util.concurrent.ConcurrentHashMap<>();
        cluster.answer = (node, cmd) -> {
            int n = rounds.computeIfAbsent(node, k -> new AtomicInteger()).getAndIncrement();
            boolean leader = n >= 4 ? node.equals("node2") : n >= 2;
            return FakeCluster.ok(leader ? "isLeader=true" : "isLeader=false");
        };
        RunResult r = run(scenario("""
                tests:
                  - name: t
                    steps:
                      - find_node: status
                        where: {stdout_contains: isLeader=true}
                        capture: leader
                        timeout: 20s
                      - pause: ${leader}
                """));
        assertThat(r.passed()).as(String.valueOf(r.tests())).isTrue();
        assertThat(cluster.log).contains("node2: PAUSE");
    }

    @Test
    void aTestTimeoutBoundsItsSteps() {
        cluster.answer = (node, cmd) -> FakeCluster.ok("never");
        RunResult r = run(scenario("""
                tests:
                  - name: t
                    timeout: 300ms
                    steps:
                      - wait_until: x
                        on: node1
                        expect: {stdout_contains: done}
                        timeout: 1h
                        interval: 50ms
                """));
        assertThat(r.test("t").status()).isEqualTo(Status.FAILED);
        assertThat(r.test("t").duration().toMillis()).isLessThan(5_000);
    }

    @Test
    void repeatRunsItsBodyTimesWithTheCounter() {
        run(scenario("""
                tests:
                  - name: t
                    steps:
                      - repeat: 3
                        steps: [{succeed: "n ${i}", on: node1}]
                """));
        assertThat(cluster.log).containsExactly("node1: n 1", "node1: n 2", "node1: n 3");
    }

    @Test
    void parallelRunsBranchesAtOnceAndReportsFailures() {
        var inside = new AtomicInteger();
        var maxInside = new AtomicInteger();
        // every branch waits (bounded) until all three are inside: run one after another, the
        // first would wait out the deadline alone and see only itself
        var allInside = new java.util.concurrent.CountDownLatch(3);
        cluster.answer = (node, cmd) -> {
            inside.incrementAndGet();
            allInside.countDown();
            try {
                allInside.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            maxInside.accumulateAndGet(inside.get(), Math::max);
            inside.decrementAndGet();
            return cmd.equals("boom") ? FakeCluster.exit(2, "", "kaput") : FakeCluster.ok("");
        };
        RunResult r = run(scenario("""
                tests:
                  - name: t
                    steps:
                      - parallel:
                          - {succeed: a, on: node1}
                          - {succeed: boom, on: node2}
                          - {succeed: c, on: node3}
                """));
        assertThat(maxInside.get()).as("branches overlap in time").isEqualTo(3);
        assertThat(r.test("t").failure().node()).isEqualTo("node2");
        assertThat(r.test("t").failure().stderr()).isEqualTo("kaput");
    }

    @Test
    void aCommandOnAllNodesRunsOnEachAndNamesTheNodeThatFailed() {
        cluster.answer = (node, cmd) -> node.equals("node1") ? FakeCluster.ok("") : FakeCluster.exit(1, "", node);
        RunResult r = run(scenario("tests: [{name: t, steps: [{succeed: check, on: all}]}]\n"));
        assertThat(cluster.log).containsExactlyInAnyOrder("node1: check", "node2: check", "node3: check");
        assertThat(r.test("t").failure().node())
                .as("the first failing node in order")
                .isEqualTo("node2");
        assertThat(r.test("t").failure().stderr()).isEqualTo("node2");
        assertThat(r.test("t").failure().reason()).contains("failed on 2 of 3 nodes");
    }

    @Test
    void faultsGetResolvedNodeNames() {
        cluster.answer = (node, cmd) -> FakeCluster.ok("node1");
        run(scenario("""
                tests:
                  - name: t
                    steps:
                      - exec: who
                        on: node2
                        capture: victim
                      - partition: [["${victim}"], {all_except: "${victim}"}]
                      - heal:
                """.replace("{all_except: \"${victim}\"}", "[node2, node3]")));
        assertThat(cluster.log).contains("fault: partition [[node1], [node2, node3]]", "heal");
    }

    @Test
    void aClusterThatDoesNotStartSkipsEveryTestWithTheReason() {
        Scenario s =
                ScenarioParser.parse(scenario("tests: [{name: t, steps: [{log: x}]}]\n"), Path.of("r.yaml"), Map.of());
        RunOptions o = new RunOptions(
                Path.of("target/run"),
                Accelerator.TCG,
                (sc, opt, ev, t) -> {
                    throw new IllegalStateException("node2 did not boot: kernel panic");
                },
                Timing.withMultiplier(1));
        RunResult r = ScenarioRunner.run(s, o, sink);
        assertThat(r.passed()).isFalse();
        assertThat(r.error()).contains("node2 did not boot");
        assertThat(r.test("t").status()).isEqualTo(Status.SKIPPED);
        assertThat(events).extracting(Event::kind).contains("run.start", "cluster.failed", "run.end");
    }

    @Test
    void showRecordsOutputForTheReport() {
        cluster.answer = (node, cmd) -> FakeCluster.ok("[\"job-" + node + "\"]");
        run(scenario("tests: [{name: t, steps: [{show: list, on: all}]}]\n"));
        assertThat(events)
                .filteredOn(e -> e.kind().equals("show"))
                .hasSize(3)
                .extracting(e -> e.fields().get("stdout"))
                .contains("[\"job-node2\"]");
    }
}
