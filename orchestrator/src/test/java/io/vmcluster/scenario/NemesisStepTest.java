package io.vmcluster.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.events.Event;
import io.vmcluster.events.EventSink;
import io.vmcluster.nemesis.Nemesis;
import io.vmcluster.nemesis.Schedule;
import io.vmcluster.nemesis.ScheduleJson;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.scenario.run.RunOptions;
import io.vmcluster.scenario.run.RunResult;
import io.vmcluster.scenario.run.TestOutcome;
import io.vmcluster.scenario.step.NemesisStep;
import io.vmcluster.time.Timing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nemesis step: parsed into the generator's spec, its schedule written and applied. */
class NemesisStepTest {
    @TempDir
    Path dir;

    final FakeCluster fake = new FakeCluster("node1", "node2", "node3");
    final List<Event> events = Collections.synchronizedList(new ArrayList<>());

    static final String NEMESIS = """
            - nemesis:
                seed: 11
                length: 1500ms
                duration: 100ms..300ms
                gap: 100ms
                recovery: 100ms
                faults:
                  - crash: random
                  - kill_process: minority
                    process: jobq
                    weight: 2
                  - partition: majorities-ring
            """;

    Path file(String steps) throws Exception {
        return Files.writeString(
                dir.resolve("s.yaml"), "cluster: {nodes: 3}\ntests:\n  - name: t\n    steps:\n" + steps.indent(6));
    }

    @Test
    void theScheduleFromTheSeedIsWrittenAndEveryFaultOfItApplied() throws Exception {
        Scenario s = ScenarioParser.parse(file(NEMESIS), Map.of());
        NemesisStep step = (NemesisStep) s.tests().get(0).steps().get(0);
        assertThat(step.seed()).isEqualTo(11L);
        assertThat(step.spec().faults()).hasSize(3);
        RunOptions o = new RunOptions(
                dir.resolve("results"), Accelerator.TCG, (sc, opt, ev, t) -> fake, Timing.withMultiplier(1));
        EventSink sink = events::add;
        RunResult r = ScenarioRunner.run(s, o, sink);
        assertThat(r.tests()).extracting(TestOutcome::status).containsExactly(TestOutcome.Status.PASSED);
        Schedule written = ScheduleJson.read(dir.resolve("results/schedule.json"));
        assertThat(written)
                .as("a pure function of seed, spec and nodes")
                .isEqualTo(Nemesis.generate(11, step.spec(), List.of("node1", "node2", "node3")));
        assertThat(fake.log.stream()
                        .filter(l -> l.startsWith("scheduled fault: "))
                        .count())
                .isEqualTo(written.faults().size());
        assertThat(events.stream().filter(e -> e.kind().equals("nemesis.fault")).count())
                .isEqualTo(written.faults().size());
        assertThat(events.stream().map(Event::kind)).contains("nemesis.start", "nemesis.end");
    }

    RunOptions options(io.vmcluster.scenario.run.NemesisOptions nemesis) {
        return new RunOptions(
                        dir.resolve("results"), Accelerator.TCG, (sc, opt, ev, t) -> fake, Timing.withMultiplier(1))
                .withNemesis(nemesis);
    }

    Event runStart() {
        return events.stream()
                .filter(e -> e.kind().equals("run.start"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void theRunsSeedOverridesTheStepsOwnAndIsInRunStart() throws Exception {
        Scenario s = ScenarioParser.parse(file(NEMESIS), Map.of());
        NemesisStep step = (NemesisStep) s.tests().get(0).steps().get(0);
        RunResult r = ScenarioRunner.run(s, options(io.vmcluster.scenario.run.NemesisOptions.seed(7)), events::add);
        assertThat(r.passed()).isTrue();
        assertThat(ScheduleJson.read(dir.resolve("results/schedule.json")))
                .isEqualTo(Nemesis.generate(7, step.spec(), fake.nodes()));
        assertThat(runStart().fields()).containsEntry("seed", 7L);
    }

    @Test
    void withoutAnySeedOneIsChosenRecordedAndUsed() throws Exception {
        Scenario s = ScenarioParser.parse(file(NEMESIS.replace("    seed: 11\n", "")), Map.of());
        NemesisStep step = (NemesisStep) s.tests().get(0).steps().get(0);
        assertThat(step.seed()).isNull();
        ScenarioRunner.run(s, options(io.vmcluster.scenario.run.NemesisOptions.NONE), events::add);
        long chosen = ((Number) runStart().fields().get("seed")).longValue();
        assertThat(ScheduleJson.read(dir.resolve("results/schedule.json")))
                .isEqualTo(Nemesis.generate(chosen, step.spec(), fake.nodes()));
    }

    @Test
    void aSecondNemesisDrawsADerivedSeedAndWritesItsOwnFile() throws Exception {
        Scenario s = ScenarioParser.parse(
                file(NEMESIS.replace("    seed: 11\n", "") + NEMESIS.replace("    seed: 11\n", "")), Map.of());
        NemesisStep step = (NemesisStep) s.tests().get(0).steps().get(1);
        assertThat(s.nemesisRuns()).isEqualTo(2);
        ScenarioRunner.run(s, options(io.vmcluster.scenario.run.NemesisOptions.seed(5)), events::add);
        long second = io.vmcluster.scenario.run.NemesisOptions.derive(5, 1);
        assertThat(second).isNotEqualTo(5);
        assertThat(ScheduleJson.read(dir.resolve("results/schedule-2.json")))
                .isEqualTo(Nemesis.generate(second, step.spec(), fake.nodes()));
    }

    @Test
    void aReplayAppliesExactlyTheStoredScheduleAndWritesItAgain() throws Exception {
        Scenario s = ScenarioParser.parse(file(NEMESIS), Map.of());
        NemesisStep step = (NemesisStep) s.tests().get(0).steps().get(0);
        Schedule drawn = Nemesis.generate(99, step.spec(), fake.nodes());
        // a shrunk schedule: only every other fault, the first one shorter
        List<io.vmcluster.nemesis.ScheduledFault> kept = new ArrayList<>();
        for (int i = 0; i < drawn.faults().size(); i += 2)
            kept.add(drawn.faults().get(i));
        Schedule replay = drawn.withFaults(kept);
        RunResult r =
                ScenarioRunner.run(s, options(io.vmcluster.scenario.run.NemesisOptions.replay(replay)), events::add);
        assertThat(r.passed()).isTrue();
        assertThat(fake.log.stream().filter(l -> l.startsWith("scheduled fault: ")))
                .containsExactlyElementsOf(kept.stream()
                        .map(f -> "scheduled fault: "
                                + f.fault().map(n -> ((io.vmcluster.nemesis.ScheduledNodes.Names) n).names()))
                        .toList());
        assertThat(ScheduleJson.read(dir.resolve("results/schedule.json"))).isEqualTo(replay);
        assertThat(runStart().fields()).containsEntry("seed", 99L).containsEntry("replay", true);
    }

    @Test
    void aReplayForOtherNodesFailsTheStep() throws Exception {
        Scenario s = ScenarioParser.parse(file(NEMESIS), Map.of());
        NemesisStep step = (NemesisStep) s.tests().get(0).steps().get(0);
        Schedule other = Nemesis.generate(1, step.spec(), List.of("a", "b", "c"));
        RunResult r =
                ScenarioRunner.run(s, options(io.vmcluster.scenario.run.NemesisOptions.replay(other)), events::add);
        assertThat(r.tests().get(0).message()).contains("drawn for nodes [a, b, c]");
        assertThat(fake.log).noneMatch(l -> l.startsWith("scheduled fault: "));
    }

    @Test
    void impairmentsOneWayCutsDiskAndClockFaultsAreReadable() throws Exception {
        Scenario s = ScenarioParser.parse(file("""
                        - nemesis:
                            length: 60s
                            faults:
                              - cut_one_way: random
                                to: majority
                              - impair: minority
                                delay: 200ms
                                loss: 10%
                              - slow_disk: random
                                iops: 50
                              - disk_errors: random
                                io: write
                              - skew_clock: random
                                by: -30s
                        """), Map.of());
        NemesisStep step = (NemesisStep) s.tests().get(0).steps().get(0);
        assertThat(step.spec().faults())
                .extracting(c -> c.fault().getClass().getSimpleName())
                .containsExactly("CutOneWay", "Impair", "SlowDisk", "FailDisk", "SkewClock");
        var skew = (io.vmcluster.fault.FaultSpec.SkewClock<?>)
                step.spec().faults().get(4).fault();
        assertThat(skew.offset()).isEqualTo(java.time.Duration.ofSeconds(-30));
        var disk = (io.vmcluster.fault.FaultSpec.FailDisk<?>)
                step.spec().faults().get(3).fault();
        assertThat(disk.errors().reads()).isFalse();
        assertThat(disk.errors().writes()).isTrue();
        Schedule drawn = Nemesis.generate(3, step.spec(), List.of("node1", "node2", "node3"));
        assertThat(drawn.faults()).isNotEmpty();
        assertThat(ScheduleJson.read(ScheduleJsonWrite.roundTrip(drawn, dir))).isEqualTo(drawn);
    }

    @Test
    void aBadParameterOfTheNewKindsIsLocated() throws Exception {
        Path f = file("""
                - nemesis:
                    length: 60s
                    faults:
                      - disk_errors: random
                        io: sideways
                      - slow_disk: random
                      - cut_one_way: random
                """);
        assertThatThrownBy(() -> ScenarioParser.parse(f, Map.of()))
                .hasMessageContaining("s.yaml:10:")
                .hasMessageContaining("'io' of disk_errors must be read, write or both, found 'sideways'")
                .hasMessageContaining("slow_disk needs 'iops' and/or 'bytes_per_second'")
                .hasMessageContaining("to");
    }

    @Test
    void aProbeTargetAsksItsFindNodeAgainWhenTheFaultStarts() throws Exception {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        // the first round of answers names node2 the leader, every later one node3
        fake.answer = (node, cmd) -> {
            int n = asked.incrementAndGet();
            String leader = n <= 3 ? "node2" : "node3";
            return FakeCluster.ok(node.equals(leader) ? "leader" : "follower");
        };
        Scenario s = ScenarioParser.parse(file("""
                        - find_node: {on: all, run: status, where: {stdout_contains: leader}, capture: leader}
                        - nemesis:
                            length: 400ms
                            duration: 100ms
                            gap: 100ms
                            faults: [pause: probe leader]
                        """), Map.of());
        NemesisStep step = (NemesisStep) s.tests().get(1 - 1).steps().get(1);
        assertThat(step.spec().faults().get(0).fault())
                .isEqualTo(
                        new io.vmcluster.fault.FaultSpec.Pause<>(new io.vmcluster.nemesis.NodeChoice.Probe("leader")));
        RunResult r = ScenarioRunner.run(s, options(io.vmcluster.scenario.run.NemesisOptions.seed(1)), events::add);
        assertThat(r.passed()).as("%s", r).isTrue();
        assertThat(fake.log.stream().filter(l -> l.startsWith("scheduled fault: ")))
                .isNotEmpty()
                .allMatch(l -> l.equals("scheduled fault: pause node3"));
        assertThat(ScheduleJson.read(dir.resolve("results/schedule.json"))
                        .faults()
                        .get(0)
                        .fault()
                        .toString())
                .isEqualTo("pause ${leader}");
    }

    @Test
    void aProbeWithoutAFindNodeBeforeItIsRefusedAtItsLineNamingTheProbesThatExist() throws Exception {
        Path f = file("""
                - nemesis:
                    length: 400ms
                    faults: [pause: probe leader]
                - find_node: {on: all, run: status, where: {stdout_contains: leader}, capture: leader}
                - find_node: {on: all, run: status, where: {stdout_contains: boss}, capture: boss}
                - nemesis:
                    length: 400ms
                    faults: [pause: probe leadr]
                """);
        assertThatThrownBy(() -> ScenarioParser.parse(f, Map.of()))
                .as("the first nemesis comes before any find_node; the second misspells one")
                .hasMessageContaining(f + ":7:")
                .hasMessageContaining("unknown probe 'leader': no find_node step before this nemesis captures it")
                .hasMessageContaining("add one, e.g. '- find_node:")
                .hasMessageContaining(f + ":12:")
                .hasMessageContaining("unknown probe 'leadr'")
                .hasMessageContaining("did you mean 'leader'?")
                .hasMessageContaining("probes here: leader (find_node at " + f + ":8:")
                .hasMessageContaining("boss (find_node at " + f + ":9:");
    }

    @Test
    void aFindNodeInAnEarlierTestOrARepeatBeforeTheNemesisIsAProbe() throws Exception {
        Path f = Files.writeString(dir.resolve("two.yaml"), """
                cluster: {nodes: 3}
                tests:
                  - name: find
                    steps:
                      - repeat: 2
                        steps:
                          - find_node: {on: all, run: status, where: {stdout_contains: leader}, capture: leader}
                  - name: chaos
                    steps:
                      - nemesis:
                          length: 400ms
                          faults: [pause: probe leader]
                """);
        Scenario s = ScenarioParser.parse(f, Map.of());
        assertThat(s.nemesisRuns()).isEqualTo(1);
    }

    static final class ScheduleJsonWrite {
        static Path roundTrip(Schedule s, Path dir) throws Exception {
            Path p = dir.resolve("rt.json");
            ScheduleJson.write(s, p);
            return p;
        }
    }
}
