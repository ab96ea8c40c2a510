package io.vmcluster.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.network.NetworkNamespace;
import io.vmcluster.network.TestHost;
import io.vmcluster.time.Timing;
import io.vmcluster.time.Wait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

@EnabledIf("io.vmcluster.network.TestHost#canManageNamespaces")
class ProcessLauncherIT {
    /** The bound: no child outlives a kill -9 of the JVM by more than this. Not scaled. */
    private static final Duration OUTLIVE_BOUND = Duration.ofSeconds(2);

    private final ProcessLauncher launcher = ProcessLauncher.create(Timing.standard());

    @TempDir
    Path dir;

    @Test
    void capturesOutputToFilesAndReportsTheExit() throws Exception {
        ProcessSpec spec = ProcessSpec.of("busybox", "sh", "-c", "echo out; echo err >&2; exit 7")
                .stdout(dir.resolve("out"))
                .stderr(dir.resolve("err"));
        ChildProcess child = launcher.start(spec);
        assertThat(child.onExit().get(10, TimeUnit.SECONDS)).isEqualTo(7);
        assertThat(Files.readString(dir.resolve("out"))).isEqualTo("out\n");
        assertThat(Files.readString(dir.resolve("err"))).isEqualTo("err\n");
        assertThat(child.stderrTail(5)).isEqualTo("err");
    }

    @Test
    void stopKillsAChildThatIgnoresSigtermAfterTheGrace() throws Exception {
        ChildProcess child = launcher.start(ProcessSpec.of(
                        "busybox", "sh", "-c", "trap '' TERM; echo trapped; while :; do read x; done < /dev/zero")
                .stdout(dir.resolve("out")));
        Wait.forCondition("the shell to set its trap")
                .atMost(Duration.ofSeconds(10))
                .untilTrue(() -> Files.readString(dir.resolve("out")).contains("trapped"));
        long start = System.nanoTime();
        int code = child.stop(Duration.ofMillis(500));
        assertThat(code).as("killed by SIGKILL: 128+9").isEqualTo(137);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(child.isAlive()).isFalse();
    }

    @Test
    void aMissingProgramFailsWithItsName() {
        assertThatThrownBy(
                        () -> launcher.start(ProcessSpec.of("/no/such/program").outliveJvm()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("/no/such/program");
    }

    @Test
    void aChildInANamespaceLivesThere() throws IOException {
        try (NetworkNamespace ns = NetworkNamespace.create(TestHost.uniqueNamespaceName("launch"), Timing.standard());
                ChildProcess child =
                        launcher.start(ProcessSpec.of("busybox", "sleep", "600").inNetworkNamespace(ns.name()))) {
            Path childNs = Path.of("/proc", Long.toString(child.pid()), "ns", "net");
            Wait.forCondition("pid " + child.pid() + " to exec into busybox inside " + ns)
                    .atMost(Duration.ofSeconds(10))
                    .untilTrue(() -> Files.readSymbolicLink(childNs).equals(nsInode(ns))
                            && Files.readString(Path.of("/proc", Long.toString(child.pid()), "comm"))
                                    .startsWith("busybox"));
            assertThat(Files.readSymbolicLink(Path.of("/proc/self/ns/net")))
                    .as("the JVM itself stays in the host namespace")
                    .isNotEqualTo(nsInode(ns));
        }
    }

    @Test
    void aChildSurvivesTheDeathOfTheThreadThatAskedForIt() throws Exception {
        AtomicReference<ChildProcess> child = new AtomicReference<>();
        String threadName = "short-" + System.nanoTime() % 100_000;
        Thread caller =
                new Thread(() -> child.set(launcher.start(ProcessSpec.of("busybox", "sleep", "600"))), threadName);
        caller.start();
        caller.join(10_000);
        try {
            assertThat(child.get()).isNotNull();
            Wait.forCondition("the kernel task of thread " + threadName + " to be gone")
                    .atMost(Duration.ofSeconds(10))
                    .untilTrue(() -> !TestThreads.exists(threadName));
            // pdeathsig is delivered while the parent task exits, so by now it would have fired
            assertThat(child.get().identity().isAlive())
                    .as("forked from the launcher thread, not from the short-lived caller")
                    .isTrue();
        } finally {
            if (child.get() != null) {
                child.get().kill();
            }
        }
    }

    @Test
    void noChildOutlivesKill9OfTheJvmByMoreThanTwoSeconds() throws Exception {
        try (ChildJvm jvm = ChildJvm.start(LaunchAndHoldMain.class, dir.resolve("jvm.stderr"))) {
            String[] line = jvm.awaitLine("CHILD", Timing.standard().scale(Duration.ofSeconds(30)));
            ProcessIdentity grandchild = new ProcessIdentity(Long.parseLong(line[0]), Long.parseLong(line[1]));
            try {
                assertThat(grandchild.isAlive()).isTrue();
                long killed = System.nanoTime();
                jvm.kill9();
                Wait.forCondition("the launcher's child " + grandchild.pid() + " to die with its JVM")
                        .timing(Timing.withMultiplier(1))
                        .atMost(OUTLIVE_BOUND)
                        .every(Duration.ofMillis(20))
                        .untilTrue(() -> !grandchild.isAlive());
                System.out.printf(
                        "child %d gone %d ms after kill -9 of its JVM%n",
                        grandchild.pid(), (System.nanoTime() - killed) / 1_000_000);
            } finally {
                if (grandchild.isAlive()) {
                    ProcessHandle.of(grandchild.pid()).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
    }

    private static Path nsInode(NetworkNamespace ns) throws IOException {
        // the inode of the bound namespace, in the form /proc/PID/ns/net links to
        long inode = (Long) Files.getAttribute(ns.path(), "unix:ino");
        return Path.of("net:[" + inode + "]");
    }
}
