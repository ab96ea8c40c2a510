package io.vmcluster.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.cluster.SnapshotName;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.scenario.run.RunOptions;
import io.vmcluster.scenario.run.RunResult;
import io.vmcluster.scenario.step.SnapshotStep;
import io.vmcluster.time.Timing;
import io.vmcluster.yaml.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code snapshot: NAME} and {@code restore: NAME}: parsed into steps, run in order, bad names refused with their line. */
class SnapshotStepTest {
    @TempDir
    Path dir;

    final FakeCluster fake = new FakeCluster("node1", "node2", "node3");

    Scenario parse(String steps) throws IOException {
        return ScenarioParser.parse(
                Files.writeString(dir.resolve("s.yaml"), StepLanguageTest.scenario(steps)), Map.of());
    }

    List<Problem> problems(String steps) throws IOException {
        try {
            parse(steps);
        } catch (ScenarioException e) {
            return e.problems();
        }
        throw new AssertionError("expected problems");
    }

    RunResult run(String steps) throws IOException {
        RunOptions o = new RunOptions(
                dir.resolve("results"), Accelerator.TCG, (sc, opt, ev, t) -> fake, Timing.withMultiplier(1));
        return ScenarioRunner.run(parse(steps), o, e -> {});
    }

    @Test
    void bothStepsParseWithTheirNames() throws IOException {
        Scenario s = parse("""
                - snapshot: formed
                - restore: formed
                  name: back to formed
                """);
        assertThat(s.tests().get(0).steps())
                .containsExactly(
                        new SnapshotStep(
                                s.tests().get(0).steps().get(0).location(),
                                SnapshotStep.Kind.SNAPSHOT,
                                new SnapshotName("formed"),
                                null),
                        new SnapshotStep(
                                s.tests().get(0).steps().get(1).location(),
                                SnapshotStep.Kind.RESTORE,
                                new SnapshotName("formed"),
                                "back to formed"));
        assertThat(s.tests().get(0).steps().get(0).describe()).isEqualTo("snapshot: formed");
    }

    @Test
    void theRunnerCallsTheClusterInStepOrder() throws IOException {
        RunResult r = run("""
                - snapshot: a
                - succeed: echo x
                  on: node1
                - restore: a
                """);
        assertThat(r.passed()).as(String.valueOf(r.tests())).isTrue();
        assertThat(fake.log).containsSubsequence("snapshot a", "restore a");
        assertThat(fake.log.indexOf("restore a")).isGreaterThan(fake.log.indexOf("snapshot a"));
    }

    @Test
    void aBadNameIsAProblemOnItsLine() throws IOException {
        var problems = problems("- snapshot: 'bad name'\n- restore:\n");
        assertThat(problems)
                .extracting(Problem::message)
                .anySatisfy(m -> assertThat(m).contains("snapshot name 'bad name' is not valid"))
                .anySatisfy(m -> assertThat(m).contains("restore needs the snapshot's name"));
        assertThat(problems.get(0).location().line()).isEqualTo(6);
    }

    List<Problem> problemsOf(String yaml) throws IOException {
        try {
            ScenarioParser.parse(Files.writeString(dir.resolve("s.yaml"), yaml), Map.of());
        } catch (ScenarioException e) {
            return e.problems();
        }
        throw new AssertionError("expected problems");
    }

    @Test
    void aRestoreOfANameNeverTakenIsAProblemAtTheNameWithADidYouMean() throws IOException {
        var problems = problems("""
                - snapshot: formed
                - restore: fromed
                """);
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).message())
                .contains("restore: no snapshot 'fromed' is taken before this point")
                .contains("did you mean 'formed'")
                .contains("taken before here: formed");
        assertThat(problems.get(0).location().line()).as("the restore's line").isEqualTo(7);
        assertThat(problems.get(0).location().column()).as("at the name").isEqualTo(18);
    }

    @Test
    void aRestoreBeforeItsSnapshotIsAProblemSayingHowToTakeOne() throws IOException {
        var problems = problems("""
                - restore: formed
                - snapshot: formed
                """);
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.message())
                    .contains("no snapshot 'formed' is taken before this point")
                    .contains("take one with a '- snapshot: formed' step earlier in the scenario");
            assertThat(p.location().line()).isEqualTo(6);
        });
    }

    @Test
    void aSnapshotOfAnEarlierTestOrARepeatBodyCountsASiblingParallelBranchDoesNot() throws IOException {
        assertThat(parse("""
                        - repeat: 2
                          steps:
                            - snapshot: inner
                        - parallel:
                            - restore: inner
                            - succeed: 'true'
                              on: node1
                        - parallel:
                            - snapshot: branch
                        - restore: branch
                        """).tests()).hasSize(1);
        ScenarioParser.parse(Files.writeString(dir.resolve("two.yaml"), """
                cluster: {nodes: 3}
                tests:
                  - name: forms
                    steps:
                      - snapshot: formed
                  - name: later
                    steps:
                      - restore: formed
                """), Map.of());
        var problems = problemsOf("""
                cluster: {nodes: 3}
                tests:
                  - name: t
                    steps:
                      - parallel:
                          - snapshot: left
                          - restore: left
                """);
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.message()).contains("no snapshot 'left' is taken before this point");
            assertThat(p.location().line()).isEqualTo(7);
        });
    }

    static final String TWO_TESTS = """
            cluster: {nodes: 3}
            tests:
              - name: forms
                steps:
                  - succeed: etcdctl put formed yes
                    on: node1
                  - snapshot: formed
                  - succeed: etcdctl put later yes
                    on: node1
              - name: again
                fresh: formed
                steps:
                  - succeed: etcdctl get later
                    on: node2
            """;

    @Test
    void freshRestoresTheSnapshotBeforeTheTestsFirstStepAsAStepOfItsOwn() throws IOException {
        Scenario s = ScenarioParser.parse(Files.writeString(dir.resolve("s.yaml"), TWO_TESTS), Map.of());
        TestCase again = s.tests().get(1);
        assertThat(again.fresh().name()).isEqualTo(new SnapshotName("formed"));
        assertThat(again.fresh().location().line()).as("fresh's value").isEqualTo(11);
        assertThat(again.steps()).as("the steps as written").hasSize(1);
        assertThat(s.tests().get(0).fresh()).isNull();

        List<io.vmcluster.events.Event> events = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        RunOptions o = new RunOptions(
                dir.resolve("results"), Accelerator.TCG, (sc, opt, ev, t) -> fake, Timing.withMultiplier(1));
        RunResult r = ScenarioRunner.run(s, o, events::add);
        assertThat(r.passed()).as(String.valueOf(r.tests())).isTrue();
        assertThat(fake.log)
                .containsExactly(
                        "node1: etcdctl put formed yes",
                        "snapshot formed",
                        "node1: etcdctl put later yes",
                        "restore formed",
                        "node2: etcdctl get later");
        assertThat(events)
                .filteredOn(e -> e.kind().equals("step.start")
                        && "again".equals(e.fields().get("test")))
                .first()
                .satisfies(e -> assertThat(e.fields())
                        .containsEntry("label", "fresh: formed")
                        .containsEntry("at", again.fresh().location().toString()));
    }

    @Test
    void aFailedFreshRestoreFailsTheTestBeforeItsSteps() throws IOException {
        FakeCluster failing = new FakeCluster("node1", "node2", "node3");
        failing.restoreFails = new IllegalStateException("node2: snapshot-load failed: no space");
        Scenario s = ScenarioParser.parse(Files.writeString(dir.resolve("s.yaml"), TWO_TESTS), Map.of());
        RunOptions o = new RunOptions(
                dir.resolve("results"), Accelerator.TCG, (sc, opt, ev, t) -> failing, Timing.withMultiplier(1));
        RunResult r = ScenarioRunner.run(s, o, e -> {});
        assertThat(r.tests().get(1).status()).isEqualTo(io.vmcluster.scenario.run.TestOutcome.Status.FAILED);
        assertThat(r.tests().get(1).message()).contains("no space");
        assertThat(failing.log).doesNotContain("node2: etcdctl get later");
    }

    @Test
    void freshMustNameASnapshotOfAnEarlierTest() throws IOException {
        var problems = problemsOf("""
                cluster: {nodes: 3}
                tests:
                  - name: first
                    fresh: formed
                    steps:
                      - snapshot: formed
                  - name: second
                    fresh: fromed
                    steps:
                      - log: x
                  - name: third
                    fresh:
                    steps:
                      - log: x
                  - name: fourth
                    fresh: 'a b'
                    steps:
                      - log: x
                """);
        assertThat(problems).hasSize(4);
        assertThat(problems.get(0).message())
                .as("a snapshot in the test itself comes after its fresh")
                .contains("fresh: no snapshot 'formed' is taken before this point")
                .contains("take one with a '- snapshot: formed' step");
        assertThat(problems.get(0).location().line()).isEqualTo(4);
        assertThat(problems.get(1).message())
                .contains("fresh: no snapshot 'fromed'")
                .contains("did you mean 'formed'");
        assertThat(problems.get(1).location().line()).isEqualTo(8);
        assertThat(problems.get(2).message()).contains("fresh needs the name of a snapshot");
        assertThat(problems.get(3).message()).contains("fresh: snapshot name 'a b' is not valid");
    }

    @Test
    void cacheTrueMarksTheSnapshotWhoseCutAWarmRunStartsFrom() throws IOException {
        Scenario s = parse("""
                - snapshot: early
                - snapshot: formed
                  cache: true
                """);
        assertThat(s.cachedSnapshot()).hasValueSatisfying(step -> {
            assertThat(step.name().value()).isEqualTo("formed");
            assertThat(step.location().line()).isEqualTo(7);
        });
        assertThat(parse("- snapshot: formed\n").cachedSnapshot()).isEmpty();
    }

    @Test
    void cacheIsForOneSnapshotStepDirectlyInATest() throws IOException {
        assertThat(problems("""
                        - snapshot: a
                          cache: true
                        - snapshot: b
                          cache: true
                        """))
                .extracting(Problem::message)
                .anySatisfy(m -> assertThat(m).contains("only one snapshot step may have 'cache: true'"));
        assertThat(problems("""
                        - repeat: 2
                          steps:
                            - snapshot: a
                              cache: true
                        """))
                .extracting(Problem::message)
                .anySatisfy(m -> assertThat(m).contains("not inside repeat"));
        assertThat(problems("""
                        - snapshot: a
                        - restore: a
                          cache: true
                        """))
                .extracting(Problem::message)
                .anySatisfy(m -> assertThat(m).contains("cache"));
        assertThat(problems("- snapshot: a\n  cache: maybe\n"))
                .extracting(Problem::message)
                .anySatisfy(m -> assertThat(m).contains("maybe"));
    }
}
