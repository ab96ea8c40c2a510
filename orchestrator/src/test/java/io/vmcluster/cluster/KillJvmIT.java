package io.vmcluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.network.NetworkNamespace;
import io.vmcluster.process.ChildJvm;
import io.vmcluster.process.Commands;
import io.vmcluster.process.ProcessIdentity;
import io.vmcluster.reaper.Reaper;
import io.vmcluster.time.Timing;
import io.vmcluster.time.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM running a cluster killed with {@code kill -9}: its QEMU dies within 2 s (the kernel's
 * pdeathsig), and the next run's reaper removes the namespace (with its bridge and taps) and the
 * temporary directory. Checked from outside: process table, {@code ip netns}, the file system.
 */
@EnabledIf("io.vmcluster.cluster.TestClusters#canBootClusters")
class KillJvmIT {
    @TempDir
    Path dir;

    @Test
    void killingTheJvmLeavesNoQemuNamespaceOrTapBehind() throws Exception {
        try (ChildJvm jvm = ChildJvm.start(
                KillJvmMain.class,
                dir.resolve("jvm.stderr"),
                dir.resolve("results").toString())) {
            String[] made = jvm.awaitLine("CLUSTER", Timing.standard().scale(Duration.ofSeconds(240)));
            String namespace = made[0];
            ProcessIdentity qemu = ProcessIdentity.of(Long.parseLong(made[1])).orElseThrow();
            Path tempDir = Path.of(made[2]);
            assertThat(qemu.isAlive()).isTrue();
            assertThat(NetworkNamespace.exists(namespace)).isTrue();
            assertThat(Commands.with(Timing.standard())
                            .succeed(Duration.ofSeconds(10), "ip", "netns", "exec", namespace, "ip", "-o", "link")
                            .stdoutText())
                    .contains("t-node1-0", "br-lan");

            jvm.kill9();

            Wait.forCondition("QEMU " + qemu.pid() + " to die with its JVM")
                    .timing(Timing.withMultiplier(1))
                    .atMost(Duration.ofSeconds(2))
                    .every(Duration.ofMillis(20))
                    .untilTrue(() -> !qemu.isAlive());
            assertThat(NetworkNamespace.exists(namespace))
                    .as("nothing runs in the JVM after kill -9: the namespace is still there for the reaper")
                    .isTrue();

            new Reaper(tempDir.getParent(), Timing.standard()).reclaimDeadRuns();

            assertThat(NetworkNamespace.exists(namespace))
                    .as("namespace %s reclaimed", namespace)
                    .isFalse();
            assertThat(Commands.with(Timing.standard())
                            .succeed(Duration.ofSeconds(10), "ip", "netns", "list")
                            .stdoutText())
                    .doesNotContain(namespace);
            assertThat(Files.exists(tempDir))
                    .as("run directory %s reclaimed", tempDir)
                    .isFalse();
            assertThat(Files.readString(dir.resolve("results").resolve("node1").resolve("serial.log")))
                    .as("the results stay")
                    .contains("VMC-READY node1");
        }
    }
}
