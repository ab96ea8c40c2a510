package io.vmcluster.reaper;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.network.NetworkNamespace;
import io.vmcluster.process.ChildJvm;
import io.vmcluster.process.ChildProcess;
import io.vmcluster.process.ProcessIdentity;
import io.vmcluster.process.ProcessLauncher;
import io.vmcluster.process.ProcessSpec;
import io.vmcluster.time.Timing;
import io.vmcluster.time.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

@EnabledIf("io.vmcluster.network.TestHost#canManageNamespaces")
class RunIT {
    private static final Duration OUTLIVE_BOUND = Duration.ofSeconds(2);
    private static final Duration CHILD_JVM_READY = Duration.ofSeconds(60);

    @TempDir
    Path base;

    private ChildJvm jvm;
    private String namespaceToRemove;
    private ProcessIdentity processToKill;

    @AfterEach
    void leaveNothing() {
        if (jvm != null) {
            jvm.close();
        }
        if (processToKill != null && processToKill.isAlive()) {
            ProcessHandle.of(processToKill.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
        if (namespaceToRemove != null) {
            NetworkNamespace.delete(namespaceToRemove, Timing.standard());
        }
    }

    @Test
    void closeRemovesTheNamespaceTheChildrenAndTheRunDirectory() {
        Run run = Run.start(base, Timing.standard());
        NetworkNamespace ns = run.createNamespace();
        namespaceToRemove = ns.name();
        ChildProcess child =
                run.launcher().start(ProcessSpec.of("busybox", "sleep", "600").inNetworkNamespace(ns.name()));
        processToKill = child.identity();
        assertThat(ns.name()).startsWith("vmc-" + run.id() + "-");
        assertThat(run.dir().resolve("owner"))
                .hasContent(ProcessIdentity.current().toString());
        assertThat(run.dir().resolve("netns").resolve(ns.name())).exists();
        assertThat(run.dir().resolve("children").resolve(Long.toString(child.pid())))
                .exists();

        run.close();

        assertThat(child.identity().isAlive()).as("child stopped").isFalse();
        assertThat(NetworkNamespace.exists(ns.name())).as("namespace deleted").isFalse();
        assertThat(run.dir()).as("run directory removed").doesNotExist();
    }

    @Test
    void anErrorInAResourcesCloseStillRemovesTheNamespaceAndIsThrown() {
        Run run = Run.start(base, Timing.standard());
        NetworkNamespace ns = run.createNamespace();
        namespaceToRemove = ns.name();
        run.closeWithRun(() -> {
            throw new StackOverflowError("provoked in a resource's close");
        });

        org.assertj.core.api.Assertions.assertThatThrownBy(run::close)
                .isInstanceOf(StackOverflowError.class)
                .hasMessageContaining("provoked");
        assertThat(NetworkNamespace.exists(ns.name())).as("namespace deleted").isFalse();
        assertThat(run.dir()).as("run directory removed").doesNotExist();
    }

    @Test
    void afterKill9NoChildSurvivesAndTheNextReclaimRemovesTheNamespaceAndDirectory() throws Exception {
        jvm = ChildJvm.start(
                RunHolderMain.class,
                base.resolve("jvm.stderr"),
                base.resolve("runs").toString());
        String[] ready = jvm.awaitLine("READY", Timing.standard().scale(CHILD_JVM_READY));
        String runId = ready[0];
        namespaceToRemove = ready[1];
        processToKill = new ProcessIdentity(Long.parseLong(ready[2]), Long.parseLong(ready[3]));
        assertThat(processToKill.isAlive()).isTrue();

        jvm.kill9();

        Wait.forCondition("QEMU stand-in " + processToKill.pid() + " to die with its JVM")
                .timing(Timing.withMultiplier(1))
                .atMost(OUTLIVE_BOUND)
                .every(Duration.ofMillis(20))
                .untilTrue(() -> !processToKill.isAlive());
        assertThat(NetworkNamespace.exists(namespaceToRemove))
                .as("nothing ran in the killed JVM: its namespace is still there")
                .isTrue();

        List<ReclaimedRun> reclaimed = new Reaper(base.resolve("runs"), Timing.standard()).reclaimDeadRuns();

        assertThat(reclaimed).extracting(r -> r.runId().value()).containsExactly(runId);
        assertThat(reclaimed.get(0).deletedNamespaces()).containsExactly(namespaceToRemove);
        assertThat(NetworkNamespace.exists(namespaceToRemove)).isFalse();
        assertThat(base.resolve("runs").resolve(runId)).doesNotExist();
    }

    @Test
    void sigtermCleansUpThroughTheShutdownHook() throws Exception {
        jvm = ChildJvm.start(
                RunHolderMain.class,
                base.resolve("jvm.stderr"),
                base.resolve("runs").toString());
        String[] ready = jvm.awaitLine("READY", Timing.standard().scale(CHILD_JVM_READY));
        namespaceToRemove = ready[1];
        processToKill = new ProcessIdentity(Long.parseLong(ready[2]), Long.parseLong(ready[3]));

        jvm.terminate(Timing.standard().scale(Duration.ofSeconds(30)));

        assertThat(processToKill.isAlive()).isFalse();
        assertThat(NetworkNamespace.exists(namespaceToRemove)).isFalse();
        assertThat(base.resolve("runs").resolve(ready[0])).doesNotExist();
    }

    @Test
    void theReaperLeavesLiveRunsAlone() throws Exception {
        Path runs = base.resolve("runs");
        jvm = ChildJvm.start(RunHolderMain.class, base.resolve("jvm.stderr"), runs.toString());
        String[] other = jvm.awaitLine("READY", Timing.standard().scale(CHILD_JVM_READY));
        namespaceToRemove = other[1];
        try (Run mine = Run.start(runs, Timing.standard())) {
            NetworkNamespace myNs = mine.createNamespace();

            assertThat(new Reaper(runs, Timing.standard()).reclaimDeadRuns()).isEmpty();

            assertThat(NetworkNamespace.exists(other[1]))
                    .as("another live JVM's namespace")
                    .isTrue();
            assertThat(runs.resolve(other[0])).exists();
            assertThat(NetworkNamespace.exists(myNs.name()))
                    .as("this JVM's own namespace")
                    .isTrue();
            assertThat(mine.dir()).exists();
        }
        jvm.terminate(Timing.standard().scale(Duration.ofSeconds(30)));
    }

    @Test
    void theReaperKillsRecordedChildrenOfADeadOwner() throws Exception {
        ProcessLauncher launcher = ProcessLauncher.create(Timing.standard());
        ChildProcess ownerStandIn = launcher.start(ProcessSpec.of("busybox", "sleep", "600"));
        ProcessIdentity deadOwner = ownerStandIn.identity();
        ownerStandIn.kill();
        ChildProcess orphan =
                launcher.start(ProcessSpec.of("busybox", "sleep", "600").outliveJvm());
        processToKill = orphan.identity();
        Path dir = Files.createDirectories(base.resolve("deadrun1"));
        Files.writeString(dir.resolve("owner"), deadOwner + "\n");
        Files.createDirectories(dir.resolve("children"));
        Files.writeString(dir.resolve("children").resolve(Long.toString(orphan.pid())), orphan.identity() + "\n");

        List<ReclaimedRun> reclaimed = new Reaper(base, Timing.standard()).reclaimDeadRuns();

        assertThat(reclaimed).hasSize(1);
        assertThat(reclaimed.get(0).owner()).contains(deadOwner);
        assertThat(reclaimed.get(0).killedChildren()).containsExactly(orphan.identity());
        assertThat(orphan.identity().isAlive()).isFalse();
        assertThat(dir).doesNotExist();
    }

    @Test
    void aDirectoryWithoutOwnerIsReclaimedOnlyOnceItIsOld() throws Exception {
        Path young = Files.createDirectories(base.resolve("young1"));
        Path old = Files.createDirectories(base.resolve("old1"));
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
        Path notARun = Files.createDirectories(base.resolve("Not-A-Run"));

        List<ReclaimedRun> reclaimed = new Reaper(base, Timing.standard()).reclaimDeadRuns();

        assertThat(reclaimed).extracting(r -> r.runId().value()).containsExactly("old1");
        assertThat(young).as("may be a run being created").exists();
        assertThat(notARun).as("not named like a run: not ours").exists();
    }
}
