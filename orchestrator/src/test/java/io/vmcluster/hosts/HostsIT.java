package io.vmcluster.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.image.ImageStore;
import io.vmcluster.network.NetworkNamespace;
import io.vmcluster.process.ChildJvm;
import io.vmcluster.process.Commands;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.time.Timing;
import io.vmcluster.time.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * One cluster over several "hosts" (network namespaces, each with its own sshd; issue 21): node1
 * on h1, node2 and node3 on h2, node4 on h3, each host's share run by the CLI jar copied over SSH
 * and started as its agent, the LAN joined by VXLAN between 10.99.0.1, .2 and .3.
 */
@EnabledIf("io.vmcluster.hosts.SshHosts#available")
class HostsIT {
    static final String SPREAD = """
            name: spread
            hosts:
              - {name: h1, ssh: root@10.99.0.1}
              - {name: h2, ssh: root@10.99.0.2}
            defaults: {host: h2}
            nodes:
              - {name: node1, host: h1}
              - node2
              - node3
            """;
    /** {@link #SPREAD} with a third host and node4 on it. */
    static final String SPREAD3 = SPREAD.replace(
                    "  - {name: h2, ssh: root@10.99.0.2}\n",
                    "  - {name: h2, ssh: root@10.99.0.2}\n  - {name: h3, ssh: root@10.99.0.3}\n")
            + "  - {name: node4, host: h3}\n";

    private static final Duration CMD = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    static SshHosts hosts;
    private final Timing timing = Timing.standard();

    @BeforeAll
    static void startHosts() throws Exception {
        hosts = SshHosts.start(3, dir, Timing.standard());
        ImageStore.standard().resolve("etcd-test"); // built into the cache the agents read
    }

    @AfterAll
    static void stopHosts() {
        if (hosts != null) hosts.close();
    }

    static HostsCluster.Options options(Path results) {
        return new HostsCluster.Options(
                Path.of("target", "vmcluster.jar").toAbsolutePath(), Accelerator.TCG, Timing.standard(), results);
    }

    @Test
    void aHostNobodyAnswersAtIsNamedWithWhatToCheck() throws Exception {
        Path file = Files.writeString(dir.resolve("unreachable.yaml"), SPREAD.replace("10.99.0.2", "10.99.0.9"));
        assertThatThrownBy(() -> HostsCluster.start(file, hosts.login(), options(dir.resolve("r0"))))
                .isInstanceOf(HostException.class)
                .hasMessageContaining("host h2 (root@10.99.0.9): cannot log in over SSH")
                .hasMessageContaining("check that sshd runs there and 10.99.0.9:22 is reachable from here");
        assertNothingLeftOnTheHosts();
    }

    @Test
    void bootsAcrossThreeHostsAndPartitionsAndCrashesThere() throws Exception {
        Path file = Files.writeString(dir.resolve("spread.yaml"), SPREAD3);
        Path results = dir.resolve("r1");
        List<String> namespaces;
        try (HostsCluster c = HostsCluster.start(file, hosts.login(), options(results))) {
            namespaces = List.of(c.namespaceOn("h1"), c.namespaceOn("h2"), c.namespaceOn("h3"));
            assertThat(c.hostOf("node1")).isEqualTo("h1");
            assertThat(c.hostOf("node4")).isEqualTo("h3");
            assertThat(NetworkNamespace.exists(namespaces.get(0))).isTrue();
            assertThat(hosts.ns(0).succeed("ip", "-o", "link").stdoutText())
                    .as("the tunnel lives in the run's namespace, not on the host")
                    .doesNotContain("vx-");

            assertThat(c.exec("node1", "ping -c1 -W3 192.168.1.12", CMD).succeeded())
                    .as("node1 on h1 reaches node2 on h2 across the VXLAN")
                    .isTrue();
            assertThat(c.exec("node2", "ping -c1 -W3 192.168.1.13", CMD).succeeded())
                    .as("node2 reaches node3 on the same host")
                    .isTrue();
            assertThat(c.exec("node4", "ping -c1 -W3 192.168.1.12", CMD).succeeded())
                    .as("node4 on h3 reaches node2 on h2")
                    .isTrue();
            awaitSuccess(c, "node1", "etcdctl put spread across-hosts");
            assertThat(c.succeed("node3", "etcdctl get spread --print-value-only", CMD)
                            .stdoutText()
                            .strip())
                    .as("etcd's Raft group spans the hosts")
                    .isEqualTo("across-hosts");

            // node4 (h3) with node1 (h1): only h2's and h3's rules cut node4 from node2 and node3
            try (AutoCloseable cut = c.partition(Set.of("node1", "node4"), Set.of("node2", "node3"))) {
                assertThat(c.exec("node1", "ping -c1 -W2 192.168.1.12", CMD).succeeded())
                        .as(() -> "node1 is cut from node2 (other host); on each host: " + rulesOnEachHost(namespaces))
                        .isFalse();
                assertThat(c.exec("node3", "ping -c1 -W2 192.168.1.11", CMD).succeeded())
                        .as(() -> "node3 is cut from node1 (other host); on each host: " + rulesOnEachHost(namespaces))
                        .isFalse();
                assertThat(c.exec("node4", "ping -c1 -W2 192.168.1.12", CMD).succeeded())
                        .as(() -> "node4 (h3) is cut from node2 (h2); on each host: " + rulesOnEachHost(namespaces))
                        .isFalse();
                assertThat(c.exec("node2", "ping -c1 -W2 192.168.1.14", CMD).succeeded())
                        .as(() -> "node2 (h2) is cut from node4 (h3); on each host: " + rulesOnEachHost(namespaces))
                        .isFalse();
                assertThat(c.exec("node2", "ping -c1 -W3 192.168.1.13", CMD).succeeded())
                        .as("node2 and node3, on one side, still talk")
                        .isTrue();
                assertThat(c.exec("node4", "ping -c1 -W3 192.168.1.11", CMD).succeeded())
                        .as("node4 and node1, on one side over two hosts, still talk")
                        .isTrue();
                assertThat(c.exec("node1", "ping -c1 -W2 192.168.1.254", CMD).succeeded())
                        .as("node1 still reaches its own host's bridge: the cut is between nodes only")
                        .isTrue();
            }
            assertThat(c.exec("node1", "ping -c1 -W3 192.168.1.12", CMD).succeeded())
                    .as("healed")
                    .isTrue();
            assertThat(c.exec("node4", "ping -c1 -W3 192.168.1.12", CMD).succeeded())
                    .as("healed on h2 and h3 too")
                    .isTrue();

            c.crash("node3");
            assertThat(c.state("node3")).isEqualTo("CRASHED");
            assertThat(c.exec("node1", "ping -c1 -W2 192.168.1.13", CMD).succeeded())
                    .as("node3 crashed on h2")
                    .isFalse();
            assertThat(c.exec("node1", "etcdctl get spread --print-value-only", CMD)
                            .stdoutText())
                    .as("three of four still form a quorum across hosts")
                    .contains("across-hosts");
        }
        assertThat(namespaces.stream().anyMatch(NetworkNamespace::exists))
                .as("every host's run namespace is gone")
                .isFalse();
        assertThat(results.resolve("h1")).isDirectory();
        try (var files = Files.walk(results.resolve("h2"))) {
            assertThat(files.map(Path::toString).filter(p -> p.endsWith("node3/serial.log")))
                    .as("h2's results came back: %s", results)
                    .isNotEmpty();
        }
        assertNothingLeftOnTheHosts();
    }

    @Test
    void aKilledCoordinatorLeavesNothingOnAnyHost() throws Exception {
        Path file = Files.writeString(
                dir.resolve("two.yaml"),
                SPREAD.replace("              - node3\n", "").replace("name: spread", "name: killed"));
        try (ChildJvm jvm = ChildJvm.start(
                HostsCoordinatorMain.class,
                dir.resolve("coordinator.stderr"),
                file.toString(),
                hosts.dir().resolve("id").toString(),
                hosts.dir().resolve("known_hosts").toString(),
                hosts.underlayNamespace(),
                dir.resolve("r2").toString())) {
            String[] made = jvm.awaitLine("CLUSTER", timing.scale(Duration.ofSeconds(400)));
            String runId = made[0];
            assertThat(NetworkNamespace.exists(made[1])).isTrue();
            assertThat(agentProcesses(runId)).as("agents and QEMUs run").isNotEmpty();

            jvm.kill9();

            Wait.forCondition("every host to remove run " + runId + " after its coordinator died")
                    .timing(timing)
                    .atMost(Duration.ofSeconds(60))
                    .untilTrue(() -> !NetworkNamespace.exists(made[1])
                            && !NetworkNamespace.exists(made[2])
                            && agentProcesses(runId).isEmpty());
        }
        assertNothingLeftOnTheHosts();
    }

    /** What each host's run namespace holds: its nftables ruleset and bridge forwarding entries (evidence). */
    private String rulesOnEachHost(List<String> namespaces) {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < namespaces.size(); i++) {
            String ns = "--net=" + NetworkNamespace.path(namespaces.get(i));
            Commands cmd = Commands.with(timing);
            all.append("\n--- h")
                    .append(i + 1)
                    .append(" (")
                    .append(namespaces.get(i))
                    .append(")\n")
                    .append(cmd.run(Duration.ofSeconds(10), "nsenter", ns, "nft", "list", "ruleset")
                            .stdoutText())
                    .append(cmd.run(Duration.ofSeconds(10), "nsenter", ns, "bridge", "fdb", "show")
                            .stdoutText());
        }
        return all.toString();
    }

    private void awaitSuccess(HostsCluster c, String node, String command) {
        Wait.forCondition("'" + command + "' to succeed on " + node)
                .timing(timing)
                .atMost(Duration.ofSeconds(120))
                .untilTrue(() -> c.exec(node, command, CMD).succeeded());
    }

    /** Processes whose command line names the run's agent directories (agents, their shells, QEMUs). */
    private String agentProcesses(String runId) {
        return Commands.with(timing)
                .run(Duration.ofSeconds(10), "pgrep", "-af", "vmc-agent-" + runId)
                .stdoutText()
                .strip();
    }

    /** No agent directory, no agent and no tunnel device on any host. */
    private void assertNothingLeftOnTheHosts() throws Exception {
        try (var tmp = Files.list(Path.of("/tmp"))) {
            assertThat(tmp.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("vmc-agent-")))
                    .as("agent directories")
                    .isEmpty();
        }
        assertThat(agentProcesses("")).as("agent processes").isEmpty();
        for (int i = 0; i < 3; i++) {
            assertThat(hosts.ns(i).succeed("ip", "-o", "link").stdoutText()).doesNotContain("vx-");
        }
    }
}
