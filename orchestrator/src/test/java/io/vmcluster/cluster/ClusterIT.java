package io.vmcluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.cluster.spec.ClusterSpec;
import io.vmcluster.command.CommandResult;
import io.vmcluster.command.CommandTimeoutException;
import io.vmcluster.qemu.Accelerator;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;

/** Three nodes of the test image under TCG, booted once for the class. */
@EnabledIf("io.vmcluster.cluster.TestClusters#canBootClusters")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    private static Cluster cluster;

    @BeforeAll
    static void boot() {
        cluster = Cluster.start(
                ClusterSpec.builder().name("it").nodes(3).build(),
                TestClusters.options("ClusterIT").withPacketCapture(true));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void everyNodeIsReadyUnderTcgAndItsArgvIsOnDisk() throws Exception {
        for (Node n : cluster.nodes()) {
            assertThat(n.state()).as(n.name()).isEqualTo(NodeState.READY);
            assertThat(n.accelerator()).as(n.name()).contains(Accelerator.TCG);
            assertThat(n.status().running()).as("QMP says %s runs", n.name()).isTrue();
            List<String> argv = Files.readAllLines(n.logDir().resolve("qemu.argv"));
            assertThat(argv).as("argv of %s", n.name()).contains("-accel", "tcg", "-nodefaults");
            assertThat(argv.get(argv.indexOf("-append") + 1)).contains("vmc.name=" + n.name());
        }
        assertThat(Files.readString(cluster.runDir().resolve("events.jsonl")))
                .as("every node's READY is an event")
                .contains("\"node\":\"node1\"", "\"state\":\"READY\"");
    }

    @Test
    @Order(2)
    void execRunsOnEachNodeInParallel() {
        Map<String, String> hostnames = cluster.onAll(n -> n.succeed("hostname").stdoutLine());
        assertThat(hostnames)
                .containsExactly(Map.entry("node1", "node1"), Map.entry("node2", "node2"), Map.entry("node3", "node3"));
        CommandResult r = cluster.node("node2").exec("echo out; echo err >&2; exit 3");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdoutText()).isEqualTo("out\n");
        assertThat(r.stderrText()).isEqualTo("err\n");
    }

    @Test
    @Order(3)
    void nodesPingEachOtherByName() {
        cluster.parallel(n -> {
            for (Node other : cluster.nodes()) {
                n.succeed("ping -c 1 -W 5 " + other.name());
            }
        });
        assertThat(cluster.node("node1")
                        .succeed("getent hosts node3 || grep node3 /etc/hosts")
                        .stdoutText())
                .contains("192.168.1.13");
    }

    @Test
    @Order(4)
    void aCommandTimingOutLeavesTheChannelUsable() {
        Node n = cluster.node("node1");
        assertThatThrownBy(() -> n.exec("sleep 60", Duration.ofSeconds(2))).isInstanceOf(CommandTimeoutException.class);
        assertThat(n.succeed("echo still here").stdoutLine()).isEqualTo("still here");
    }

    @Test
    @Order(5)
    void pauseStopsTheVcpusAndResumeBringsTheNodeBack() {
        Node n = cluster.node("node3");
        n.pause();
        assertThat(n.state()).isEqualTo(NodeState.PAUSED);
        assertThat(n.status().status()).isEqualTo("paused");
        assertThatThrownBy(() -> n.exec("true", Duration.ofSeconds(2)))
                .as("a paused guest runs nothing")
                .isInstanceOf(CommandTimeoutException.class);
        n.resume();
        assertThat(n.state()).isEqualTo(NodeState.READY);
        assertThat(n.succeed("echo back").stdoutLine()).isEqualTo("back");
    }

    @Test
    @Order(6)
    void unknownNodeNamesListTheValidOnes() {
        assertThatThrownBy(() -> cluster.node("node4"))
                .hasMessage("unknown node 'node4'; the nodes are node1, node2, node3");
    }

    @Test
    @Order(7)
    void sshAndTheConsoleGiveTheSameResults() {
        String command = "printf 'bin\\000ary\\n'; hostname; echo to-stderr >&2; exit 4";
        cluster.parallel(n -> {
            CommandResult console = n.exec(command);
            CommandResult ssh = n.ssh().run(command, Duration.ofSeconds(60));
            assertThat(ssh.exitCode())
                    .as("exit code on %s", n.name())
                    .isEqualTo(console.exitCode())
                    .isEqualTo(4);
            assertThat(ssh.stdout()).as("stdout on %s", n.name()).isEqualTo(console.stdout());
            assertThat(ssh.stderr()).as("stderr on %s", n.name()).isEqualTo(console.stderr());
            assertThat(console.stdoutText()).isEqualTo("bin\0ary\n" + n.name() + "\n");
        });
    }

    @Test
    @Order(8)
    void theGuestAgentAnswersOnEveryNode() {
        cluster.parallel(n -> {
            var r = n.guestAgent().exec(List.of("/bin/hostname"), null, Duration.ofSeconds(60));
            assertThat(r.exitCode()).as("exit code on %s", n.name()).isZero();
            assertThat(r.stdoutText().strip()).isEqualTo(n.name());
            var viaChannel = n.agent().run("hostname; echo err >&2; exit 3", Duration.ofSeconds(60));
            assertThat(viaChannel.exitCode())
                    .as("agent channel exit code on %s", n.name())
                    .isEqualTo(3);
            assertThat(viaChannel.stdoutText()).isEqualTo(n.name() + "\n");
            assertThat(viaChannel.stderrText()).isEqualTo("err\n");
            assertThat(n.guestAgent()
                            .exec(List.of("/bin/true"), null, Duration.ofSeconds(60))
                            .exitCode())
                    .as("the raw client still works next to the channel: they share one connection")
                    .isZero();
        });
    }

    @Test
    @Order(9)
    void shutdownIsAnOrderlyPoweroffThatKeepsUnsyncedWrites() throws Exception {
        Node n = cluster.node("node1");
        n.succeed("echo graceful > /var/lib/vmc/unsynced-marker"); // no sync: only an orderly halt writes it
        n.shutdown();
        assertThat(n.state()).isEqualTo(NodeState.STOPPED);
        assertThat(Files.readString(n.serialLog()))
                .as("the guest acted on the power button")
                .contains("vmc: power button pressed, powering off");
        assertThat(Files.readString(cluster.runDir().resolve("events.jsonl")))
                .as("QEMU exited by itself, not killed at the bound")
                .doesNotContain("node.shutdown.forced");
        n.restart();
        assertThat(n.succeed("cat /var/lib/vmc/unsynced-marker").stdoutLine()).isEqualTo("graceful");
    }

    @Test
    @Order(10)
    void crashAndRestartKeepTheDataDisk() {
        Node n = cluster.node("node2");
        n.succeed("echo kept > /var/lib/vmc/marker && sync");
        n.crash();
        assertThat(n.state()).isEqualTo(NodeState.CRASHED);
        assertThat(n.pid()).isEmpty();
        n.restart();
        assertThat(n.state()).isEqualTo(NodeState.READY);
        assertThat(n.succeed("cat /var/lib/vmc/marker").stdoutLine()).isEqualTo("kept");
    }

    @Test
    @Order(11)
    void theWholeRunsFramesAreInOnePcapFilePerNicAndStart() throws Exception {
        Node from = cluster.node("node3"); // never restarted: one start, one file
        String src = from.address().orElseThrow().toString();
        String dst = cluster.node("node1").address().orElseThrow().toString();
        from.succeed("ping -c 3 -i 0.2 -W 2 " + dst);
        PcapFrames frames = PcapFrames.read(cluster.runDir().resolve("captures/node3-nic0-boot1.pcap"));
        assertThat(frames.linkType()).isEqualTo(PcapFrames.ETHERNET);
        assertThat(frames.icmpEchoRequests(src, dst))
                .as("node3's echo requests to node1 in node3's capture")
                .isGreaterThanOrEqualTo(3);
        assertThat(cluster.runDir().resolve("captures/node2-nic0-boot2.pcap"))
                .as("the restarted node2 writes a capture of its second start")
                .exists();
        assertThat(cluster.runDir().resolve("captures/node2-nic0-boot1.pcap"))
                .as("and its first start's capture is kept")
                .exists();
    }
}
