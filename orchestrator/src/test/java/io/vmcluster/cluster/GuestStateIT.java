package io.vmcluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.cluster.spec.ClusterSpec;
import io.vmcluster.cluster.spec.ClusterSpecLoader;
import io.vmcluster.time.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Issue 22, items 10-12, on one node of the test image: per-boot settings (a {@code sysctl.*}
 * param, kernel arguments) hold after every boot while a step's own setting does not; a readiness
 * command is waited for by the boot, {@code reset} and {@code restart}, and one that never
 * succeeds names itself; a line a service wrote just before a crash is in {@code
 * <node>/services/}.
 */
@EnabledIf("io.vmcluster.cluster.TestClusters#canBootClusters")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GuestStateIT {
    /** Counts its runs in /run (RAM: every boot starts again at 0); succeeds from the third on. */
    static final String READY =
            "n=$(cat /run/ready-runs 2>/dev/null || echo 0); n=$((n + 1)); echo $n > /run/ready-runs;"
                    + " [ $n -ge 3 ] && [ ! -e /var/lib/vmc/never-ready ]";

    private static Cluster cluster;
    private static Node node;

    @BeforeAll
    static void boot() {
        ClusterSpec spec = ClusterSpecLoader.parse("""
                name: guest-state
                defaults:
                  params: {sysctl.net.ipv4.tcp_syn_retries: "2", sysctl.net.ipv4.ip_local_port_range: "20000,30000"}
                  kernel_args: vmc_probe_arg=42
                  ready_command: '%s'
                nodes: [node1]
                lans: []
                """.formatted(READY.replace("'", "''")), "guest-state.yaml");
        cluster = Cluster.start(spec, TestClusters.options("GuestStateIT"));
        node = cluster.node("node1");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String serialSince(long offset) throws java.io.IOException {
        byte[] all = Files.readAllBytes(node.serialLog());
        return new String(
                all,
                (int) Math.min(offset, all.length),
                (int) Math.max(0, all.length - offset),
                java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static String sh(String command) {
        return node.succeed(command).stdoutText().strip();
    }

    @Test
    @Order(1)
    void theBootWaitedForTheReadinessCommandAndAppliedTheSettings() {
        assertThat(node.state()).isEqualTo(NodeState.READY);
        assertThat(sh("cat /run/ready-runs"))
                .as("runs of the readiness command before READY")
                .isEqualTo("3");
        assertThat(sh("cat /proc/sys/net/ipv4/tcp_syn_retries")).isEqualTo("2");
        assertThat(sh("cat /proc/sys/net/ipv4/ip_local_port_range")).isEqualTo("20000\t30000");
        assertThat(sh("cat /proc/cmdline")).endsWith(" vmc_probe_arg=42");
        assertThat(node.serialTail(200)).contains("vmc: sysctl net.ipv4.tcp_syn_retries = 2");
    }

    @Test
    @Order(2)
    void aResetBootsAgainWaitsAgainAndForgetsWhatAStepSet() {
        sh("echo 7 > /proc/sys/net/ipv4/tcp_syn_retries; echo 1 > /proc/sys/net/ipv4/tcp_fin_timeout");
        node.reset();
        node.awaitReady();
        assertThat(sh("cat /run/ready-runs")).isEqualTo("3");
        assertThat(sh("cat /proc/sys/net/ipv4/tcp_syn_retries"))
                .as("the per-boot param")
                .isEqualTo("2");
        assertThat(sh("cat /proc/sys/net/ipv4/tcp_fin_timeout"))
                .as("the step's own setting")
                .isNotEqualTo("1");
    }

    @Test
    @Order(3)
    void aReadinessCommandThatNeverSucceedsNamesItselfAndItsLastRun() throws Exception {
        sh("touch /var/lib/vmc/never-ready; sync");
        long rebootsAt = Files.size(node.serialLog());
        node.reset();
        // The bound this test waits out is the readiness command's, not the boot's: once the boot
        // after the reset printed its readiness line, awaitReady's whole bound goes to the command.
        // (Given 150 s for boot and command together, the test waited all 150 s, x the multiplier.)
        Wait.forCondition("node1's readiness line after the reset")
                .atMost(Duration.ofSeconds(150))
                .untilTrue(() -> serialSince(rebootsAt).contains("VMC-READY node1"));
        assertThatThrownBy(() -> node.awaitReady(Duration.ofSeconds(30)))
                .isInstanceOf(NodeBootException.class)
                .hasMessageContaining("not ready: the readiness command `" + READY + "`")
                .hasMessageContaining("from the cluster's ready_command of node1")
                .hasMessageContaining("did not exit 0 within")
                .hasMessageContaining("its last run: exit code 1");
        node.exec("rm -f /var/lib/vmc/never-ready; sync");
        node.awaitReady();
        assertThat(node.state()).isEqualTo(NodeState.READY);
    }

    @Test
    @Order(4)
    void aLineAServiceWroteJustBeforeACrashIsInTheResults() throws Exception {
        String before = "written-before-the-crash-" + System.nanoTime();
        // the line goes out through the service's own stdout (its supervisor's logger), as any
        // line the service prints. It is on the host as soon as the logger wrote it to the port,
        // with no command copying anything; then the power goes.
        sh("echo " + before + " > /proc/$(cat /run/vmc/svc/udp-echo.pid)/fd/1");
        Path stream = node.logDir().resolve(NodeLogs.STREAM);
        long t0 = System.nanoTime();
        Wait.forCondition("the line in " + stream)
                .atMost(Duration.ofSeconds(10))
                .untilTrue(
                        () -> Files.exists(stream) && Files.readString(stream).contains("udp-echo\t" + before));
        System.out.printf(
                "GuestStateIT: the line was on the host %d ms after the command returned%n",
                (System.nanoTime() - t0) / 1_000_000);
        node.crash();
        Path services = node.logDir().resolve(NodeLogs.SERVICES);
        cluster.copyServiceLogs(n -> n.logDir().resolve(NodeLogs.SERVICES));
        assertThat(Files.readString(services.resolve("udp-echo.log"))).contains(before);

        node.start();
        node.awaitReady();
        String after = "written-after-the-restart-" + System.nanoTime();
        sh("echo " + after + " > /proc/$(cat /run/vmc/svc/udp-echo.pid)/fd/1");
        assertThat(sh("cat /run/vmc/log/udp-echo.log"))
                .as("the guest's own copy")
                .contains(after)
                .doesNotContain(before);
        cluster.copyServiceLogs(n -> n.logDir().resolve(NodeLogs.SERVICES));
        assertThat(Files.readString(services.resolve("udp-echo.log")))
                .as("both boots, in order")
                .containsSubsequence(before, "vmc-supervise: starting udp-echo", after);
    }
}
