package io.vmcluster.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.qmp.QmpClient;
import io.vmcluster.qmp.QmpClientOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Waits on a QEMU end when it exits, not when their own bound runs out. The "QEMU" here is a
 * shell script started exactly as QEMU is (same launcher, same argv): it says what a QEMU that
 * refuses its arguments or aborts says, and exits.
 */
class QemuProcessTest {
    private static final Duration CONNECT = Duration.ofSeconds(30);
    /** Well under the 30 s the connect would wait for a socket that never comes. */
    private static final Duration PROMPT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private QemuProcess qemu;

    @AfterEach
    void stop() {
        if (qemu != null && qemu.isAlive()) {
            qemu.kill();
        }
    }

    private QemuProcess start(String script) throws IOException {
        qemu = StandInQemu.startScript(dir, script, Accelerator.TCG);
        return qemu;
    }

    private QmpClient connectQmp() throws IOException {
        return QmpClient.connect(dir.resolve("qmp.sock"), QmpClientOptions.DEFAULTS.withConnectTimeout(CONNECT));
    }

    @Test
    void aQemuThatRefusesItsArgumentsFailsTheQmpConnectAtOnceWithItsWords() throws Exception {
        QemuProcess q = start("echo \"qemu-system-x86_64: -device virtio-rng-pci: 'virtio-rng-pci' is not a valid"
                + " device model name\" >&2; exit 1");
        long start = System.nanoTime();
        assertThatThrownBy(() -> q.whileRunning("its QMP socket", CONNECT, this::connectQmp))
                .isInstanceOf(QemuExitedException.class)
                .hasMessageContaining("QEMU exited with status 1")
                .hasMessageContaining("while waiting for its QMP socket")
                .hasMessageContaining("is not a valid device model name");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPT);
        assertThat(q.exit()).hasValueSatisfying(e -> assertThat(e.lastWords()).contains("virtio-rng-pci"));
    }

    @Test
    void aQemuThatAbortsWhileTheConnectWaitsEndsTheWaitThen() throws Exception {
        QemuProcess q = start(
                "sleep 0.5; echo 'qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69' >&2;" + " kill -ABRT $$");
        long start = System.nanoTime();
        assertThatThrownBy(() -> q.whileRunning("its QMP socket", CONNECT, this::connectQmp))
                .isInstanceOfSatisfying(QemuExitedException.class, e -> {
                    assertThat(e.exit().code()).isEqualTo(134);
                    assertThat(e.summary()).startsWith("QEMU exited with status 134 (SIGABRT)");
                    assertThat(e.exit().stderrTail()).contains("failed to set MSR 0x10a to 0x69");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPT);
    }

    @Test
    void aRunningQemuLetsTheActionFinish() throws Exception {
        QemuProcess q = start("exec sleep 60");
        assertThat(q.whileRunning("a quick thing", CONNECT, () -> "done")).isEqualTo("done");
        assertThat(q.isAlive()).isTrue();
    }

    @Test
    void anActionThatFailsOnItsOwnIsNotBlamedOnARunningQemu() throws Exception {
        QemuProcess q = start("exec sleep 60");
        assertThatThrownBy(() -> q.whileRunning("a socket", CONNECT, () -> {
                    throw new java.net.ConnectException("refused");
                }))
                .isInstanceOf(java.net.ConnectException.class)
                .hasMessage("refused");
    }
}
