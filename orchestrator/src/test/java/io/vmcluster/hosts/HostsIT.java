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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * One cluster over several "hosts" (network namespaces, each with its own sshd; issue 21): each
 * host's share run by the CLI jar copied over SSH and started as its agent, the LAN joined by VXLAN
 * between 10.99.0.1, .2 and .3. The seed scenario runs through {@code vmcluster run} with node1 on
 * h1, node2 and node3 on h2, node4 on h3.
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

    /**
     * The seed scenario (scenarios/mvm-ci-cluster.yaml) with its cluster spread as {@link #SPREAD3}
     * and two tests added, run by {@code vmcluster run} itself in the underlay's namespace (so the
     * hosts are reached as over a network; the SSH login from the environment, as a user's).
     */
    static final String SEED_CLUSTER = "cluster:\n  nodes: 3\n  defaults:\n    image: ${image}\n";

    static final String SPREAD_CLUSTER = """
            cluster:
              hosts:
                - {name: h1, ssh: root@10.99.0.1}
                - {name: h2, ssh: root@10.99.0.2}
                - {name: h3, ssh: root@10.99.0.3}
              defaults: {image: "${image}", host: h2}
              nodes:
                - {name: node1, host: h1}
                - node2
                - node3
                - {name: node4, host: h3}
            """;

    static final String ACROSS_HOSTS = """

              - name: a partition across hosts cuts what it cuts on one host
                steps:
                  # node1 (h1) and node4 (h3) on one side, node2 and node3 (both h2) on the other
                  - partition: [[node1, node4], [node2, node3]]
                  - succeed: "! ping -c1 -W2 192.168.1.12 && ! ping -c1 -W2 192.168.1.13"
                    on: [node1, node4]
                  - succeed: "! ping -c1 -W2 192.168.1.11 && ! ping -c1 -W2 192.168.1.14"
                    on: [node2, node3]
                  - succeed: ping -c1 -W3 192.168.1.13
                    on: node2
                  - succeed: ping -c1 -W3 192.168.1.11
                    on: node4
                  # the cut is between nodes only: node1 still reaches its own host's bridge
                  - succeed: ping -c1 -W3 192.168.1.254
                    on: node1
                  - heal:
                  - wait_until: ping -c1 -W3 192.168.1.12 && ping -c1 -W3 192.168.1.13
                    on: [node1, node4]
                    timeout: 30s

              # (not booted again: a boot costs 20 s of the suite's time; start goes the same way)
              - name: a node crashed on its host is gone and three of four still take jobs
                steps:
                  - crash: node3
                  - succeed: "! ping -c1 -W2 192.168.1.13"
                    on: node1
                  - wait_until: curl -sf --max-time 20 -X POST -d url=https://during-crash.com http://localhost:${queue.port}/new-job
                    on: node4
                    timeout: 90s
            """;

    @Test
    void theSeedScenarioAndAPartitionPassWithNodesOnThreeHosts() throws Exception {
        String seed = Files.readString(Path.of("..", "scenarios", "mvm-ci-cluster.yaml"));
        assertThat(seed)
                .as("the seed's cluster block, which this test replaces")
                .contains(SEED_CLUSTER);
        Path file = Files.writeString(
                dir.resolve("mvm-ci-cluster-spread.yaml"),
                seed.replace(SEED_CLUSTER, SPREAD_CLUSTER).stripTrailing() + "\n" + ACROSS_HOSTS);
        Path results = dir.resolve("r1");
        java.util.Set<String> before = netns();
        String java = ProcessHandle.current().info().command().orElse("java");
        var run = Commands.with(timing)
                .run(
                        List.of(
                                "env",
                                "VMC_SSH_IDENTITY=" + hosts.dir().resolve("id"),
                                "VMC_SSH_KNOWN_HOSTS=" + hosts.dir().resolve("known_hosts"),
                                "nsenter",
                                "--net=" + NetworkNamespace.path(hosts.underlayNamespace()),
                                java,
                                "-jar",
                                Path.of("target", "vmcluster.jar")
                                        .toAbsolutePath()
                                        .toString(),
                                "run",
                                "--accel",
                                "tcg",
                                file.toString(),
                                "--results",
                                results.toString()),
                        null,
                        Duration.ofMinutes(20));
        System.out.println("vmcluster run over three hosts, exit " + run.exitCode() + ":\n" + tail(run.stdoutText()));
        assertThat(run.exitCode())
                .as(() -> "vmcluster run of the seed over three hosts passes:\n" + tail(run.stdoutText())
                        + tail(run.stderrText()))
                .isZero();
        String junit = Files.readString(results.resolve("test-output.xml"));
        assertThat(junit).contains("tests=\"8\"").contains("failures=\"0\"");
        assertThat(junit).contains("network partition isolating node1", "a partition across hosts cuts");
        try (var files = Files.walk(results.resolve("h2"))) {
            assertThat(files.map(Path::toString).filter(p -> p.endsWith("node3/serial.log")))
                    .as("h2's results came back: %s", results)
                    .isNotEmpty();
        }
        assertThat(results.resolve("h1")).isDirectory();
        assertThat(results.resolve("h3")).isDirectory();
        java.util.Set<String> left = netns();
        left.removeAll(before);
        assertThat(left).as("every host's run namespace is gone").isEmpty();
        assertNothingLeftOnTheHosts();
    }

    private static java.util.Set<String> netns() throws java.io.IOException {
        Path dir = Path.of("/run/netns");
        if (!Files.isDirectory(dir)) return new java.util.TreeSet<>();
        try (var l = Files.list(dir)) {
            return l.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("vmc-"))
                    .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
        }
    }

    private static String tail(String text) {
        return text.length() <= 6000 ? text : "..." + text.substring(text.length() - 6000);
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
