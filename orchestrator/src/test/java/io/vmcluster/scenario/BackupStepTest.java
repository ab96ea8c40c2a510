package io.vmcluster.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.cluster.BackupName;
import io.vmcluster.fault.FaultSpec;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.scenario.run.RunOptions;
import io.vmcluster.scenario.run.RunResult;
import io.vmcluster.scenario.step.BackupStep;
import io.vmcluster.scenario.step.FaultStep;
import io.vmcluster.scenario.step.NodeSelector;
import io.vmcluster.time.Timing;
import io.vmcluster.yaml.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backup: NAME}, {@code restore_backup: NAME} and the {@code wipe_disk} fault: parsed into
 * steps, run in order with the nodes they name, bad names and backups never taken refused at
 * their line.
 */
class BackupStepTest {
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
    void theStepsParseWithTheirNodesAndWipeDiskIsAFaultOfTheOneVocabulary() throws IOException {
        Scenario s = parse("""
                - backup: before-wipe
                - backup: one
                  on: node2
                - wipe_disk: node2
                - restore_backup: before-wipe
                  on: [node2]
                - restore_backup: one
                """);
        var steps = s.tests().get(0).steps();
        assertThat(steps.get(0)).isInstanceOfSatisfying(BackupStep.class, b -> {
            assertThat(b.kind()).isEqualTo(BackupStep.Kind.BACKUP);
            assertThat(b.name()).isEqualTo(new BackupName("before-wipe"));
            assertThat(b.on()).as("no on: every node").isNull();
        });
        assertThat(((BackupStep) steps.get(1)).on()).isEqualTo(NodeSelector.of("node2"));
        assertThat(steps.get(2))
                .isInstanceOfSatisfying(
                        FaultStep.class,
                        f -> assertThat(f.fault()).isEqualTo(new FaultSpec.WipeDisk<>(NodeSelector.of("node2"))));
        assertThat(steps.get(3)).isInstanceOfSatisfying(BackupStep.class, b -> {
            assertThat(b.kind()).isEqualTo(BackupStep.Kind.RESTORE);
            assertThat(b.describe()).startsWith("restore_backup: before-wipe on ");
        });
        assertThat(steps.get(0).describe()).isEqualTo("backup: before-wipe");
    }

    @Test
    void theRunnerCallsTheClusterInStepOrderWithTheNodesResolved() throws IOException {
        RunResult r = run("""
                - backup: b1
                - backup: b2
                  on: {all_except: node1}
                - wipe_disk: node3
                - restore_backup: b1
                  on: node3
                - restore_backup: b2
                """);
        assertThat(r.passed()).as(String.valueOf(r.tests())).isTrue();
        assertThat(fake.log)
                .containsSubsequence(
                        "backup b1 of [node1, node2, node3]",
                        "backup b2 of [node2, node3]",
                        "fault: wipe the data disk of node3",
                        "restore backup b1 on [node3]",
                        "restore backup b2 on []");
    }

    @Test
    void aBadNameOrABackupNeverTakenIsAProblemAtItsLineWithADidYouMean() throws IOException {
        var problems = problems("""
                - backup: 'bad name'
                - backup: before-wipe
                - restore_backup: before-wpie
                - restore_backup:
                - restore_backup: formed
                """);
        assertThat(problems).extracting(Problem::message).hasSize(4);
        assertThat(problems.get(0).message()).contains("backup name 'bad name' is not valid");
        assertThat(problems.get(0).location().line()).isEqualTo(6);
        assertThat(problems.get(1).message())
                .contains("restore_backup: no backup 'before-wpie' is taken before this point")
                .contains("did you mean 'before-wipe'");
        assertThat(problems.get(1).location().line()).isEqualTo(8);
        assertThat(problems.get(2).message()).contains("restore_backup needs the backup's name");
        assertThat(problems.get(3).message()).contains("taken before here: before-wipe");
    }

    @Test
    void aSnapshotIsNotABackupNorTheOtherWayRound() throws IOException {
        var problems = problems("""
                - snapshot: formed
                - restore_backup: formed
                - backup: b
                - restore: b
                """);
        assertThat(problems).extracting(Problem::message).hasSize(2);
        assertThat(problems.get(0).message()).contains("no backup 'formed'");
        assertThat(problems.get(1).message()).contains("no snapshot 'b'");
    }
}
