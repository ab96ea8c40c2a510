package io.vmcluster.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.command.CommandFailedException;
import io.vmcluster.command.CommandResult;
import io.vmcluster.time.Timing;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

@EnabledIf("io.vmcluster.network.TestHost#canManageNamespaces")
class NetworkNamespaceIT {

    @Test
    void createExecDeleteLeavesNothing() {
        String name = TestHost.uniqueNamespaceName("life");
        InterfaceName bridge = InterfaceName.bridge("lan");
        InterfaceName tap = InterfaceName.tap("node1", 0);
        try (NetworkNamespace ns = NetworkNamespace.create(name, Timing.standard())) {
            assertThat(NetworkNamespace.exists(name)).isTrue();
            assertThat(NetworkNamespace.listVmclusterNamespaces(Timing.standard()))
                    .contains(name);

            CommandResult lo = ns.exec("ip", "-o", "link", "show", "lo");
            assertThat(lo.stdoutText()).as("lo must be up in a fresh namespace").contains("UP");

            ns.addBridge(bridge, IpPrefix.parse("192.168.1.254/24"));
            ns.addTap(tap, ns.addBridge(InterfaceName.bridge("p2p")));
            String inside = ns.succeed("ip", "-o", "link", "show").stdoutText();
            assertThat(inside).contains(bridge.value(), tap.value());
            assertThat(ns.succeed("ip", "-o", "link", "show", tap.value()).stdoutText())
                    .as("the tap is a port of its bridge")
                    .contains("master br-p2p");
            assertThat(ns.succeed("ip", "-o", "addr", "show", bridge.value()).stdoutText())
                    .contains("192.168.1.254/24");

            assertThat(TestHost.hostLinks())
                    .as("nothing of the namespace shows on the host")
                    .doesNotContain(tap.value())
                    .doesNotContain(bridge.value());
        }
        assertThat(NetworkNamespace.exists(name)).isFalse();
        assertThat(NetworkNamespace.listVmclusterNamespaces(Timing.standard())).doesNotContain(name);
        assertThat(TestHost.hostLinks()).doesNotContain(tap.value());
    }

    @Test
    void theSocketsThreadDoesNotPinTheNamespaceAfterClose() throws Exception {
        NetworkNamespace ns = NetworkNamespace.create(TestHost.uniqueNamespaceName("pin"), Timing.standard());
        String inode = "net:[" + java.nio.file.Files.getAttribute(ns.path(), "unix:ino") + "]";
        ns.sockets().openDatagramChannel().close();
        assertThat(tasksOfThisJvmIn(inode))
                .as("the sockets thread is inside while open")
                .isNotEmpty();
        ns.close();
        io.vmcluster.time.Wait.forCondition("no thread of this JVM to be left in " + inode)
                .atMost(Duration.ofSeconds(5))
                .untilTrue(() -> tasksOfThisJvmIn(inode).isEmpty());
    }

    @Test
    void nftablesContextChangesTheNamespacesRulesetOnlyAndLeavesWithIt() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(NamespacedNftables.available(), "libnftables.so.1 on this host");
        NetworkNamespace ns = NetworkNamespace.create(TestHost.uniqueNamespaceName("nft"), Timing.standard());
        String inode = "net:[" + java.nio.file.Files.getAttribute(ns.path(), "unix:ino") + "]";
        String table = "vmc_nft_it_" + ProcessHandle.current().pid();
        try {
            NamespacedNftables nft = ns.nftables().orElseThrow();
            var added = nft.run("add table bridge " + table + "\n", Duration.ofSeconds(10));
            assertThat(added.succeeded()).as("add table: %s", added).isTrue();
            assertThat(ns.succeed("nft", "list", "tables").stdoutText())
                    .as("the table is in the namespace's ruleset")
                    .contains("table bridge " + table);
            assertThat(new ProcessBuilder("nft", "list", "tables")
                            .redirectErrorStream(true)
                            .start()
                            .inputReader()
                            .lines()
                            .toList())
                    .as("the host's ruleset is untouched")
                    .noneMatch(l -> l.contains(table));
            var bad = nft.run("add rule bridge " + table + " nosuchchain drop\n", Duration.ofSeconds(10));
            assertThat(bad.succeeded()).as("a refused script fails").isFalse();
            assertThat(bad.stderrText()).as("and says why").contains("nosuchchain");
        } finally {
            ns.close();
        }
        io.vmcluster.time.Wait.forCondition("no thread of this JVM to be left in " + inode)
                .atMost(Duration.ofSeconds(5))
                .untilTrue(() -> tasksOfThisJvmIn(inode).isEmpty());
    }

    private static List<String> tasksOfThisJvmIn(String inode) throws java.io.IOException {
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            return tasks.filter(t -> {
                        try {
                            return java.nio.file.Files.readSymbolicLink(t.resolve("ns/net"))
                                    .toString()
                                    .equals(inode);
                        } catch (java.io.IOException gone) {
                            return false;
                        }
                    })
                    .map(t -> t.getFileName().toString())
                    .toList();
        }
    }

    @Test
    void execReportsFailuresWithEvidence() {
        try (NetworkNamespace ns = NetworkNamespace.create(TestHost.uniqueNamespaceName("fail"), Timing.standard())) {
            CommandResult r = ns.exec("ip", "link", "show", "no-such-dev");
            assertThat(r.exitCode()).isNotZero();
            assertThat(r.stderrText()).contains("no-such-dev");
            assertThatThrownBy(() -> ns.succeed("ip", "link", "show", "no-such-dev"))
                    .isInstanceOf(CommandFailedException.class)
                    .hasMessageContaining("ip link show no-such-dev")
                    .hasMessageContaining("does not exist");
        }
    }

    @Test
    void execFeedsStdinForNftRuleSets() {
        try (NetworkNamespace ns = NetworkNamespace.create(TestHost.uniqueNamespaceName("nft"), Timing.standard())) {
            byte[] rules = "table bridge vmc {\n chain filter_forward {\n type filter hook forward priority 0;\n }\n}\n"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ns.exec(List.of("nft", "-f", "-"), rules, Duration.ofSeconds(10)).orThrow();
            assertThat(ns.succeed("nft", "list", "tables").stdoutText()).contains("table bridge vmc");
            assertThat(io.vmcluster.process.Commands.with(io.vmcluster.time.Timing.standard())
                            .run(Duration.ofSeconds(10), "nft", "list", "tables")
                            .stdoutText())
                    .as("the rule set lives in the namespace, not on the host")
                    .doesNotContain("table bridge vmc");
        }
    }

    @Test
    void twoNamespacesWithTheSameSubnetCoexist() {
        try (NetworkNamespace a = NetworkNamespace.create(TestHost.uniqueNamespaceName("a"), Timing.standard());
                NetworkNamespace b = NetworkNamespace.create(TestHost.uniqueNamespaceName("b"), Timing.standard())) {
            for (NetworkNamespace ns : List.of(a, b)) {
                Bridge lan = ns.addBridge(InterfaceName.bridge("lan"), IpPrefix.parse("192.168.1.254/24"));
                ns.addTap(InterfaceName.tap("node1", 0), lan);
            }
            for (NetworkNamespace ns : List.of(a, b)) {
                assertThat(ns.succeed("ip", "-o", "addr", "show", "br-lan").stdoutText())
                        .as("%s has its own 192.168.1.254", ns)
                        .contains("192.168.1.254/24");
                assertThat(ns.succeed("ip", "route", "get", "192.168.1.11").stdoutText())
                        .as("in %s the subnet routes to its own bridge", ns)
                        .contains("dev br-lan");
            }
        }
    }

    @Test
    void processesLeftInsideAreKilledOnClose() throws Exception {
        NetworkNamespace ns = NetworkNamespace.create(TestHost.uniqueNamespaceName("pids"), Timing.standard());
        Process p = new ProcessBuilder("nsenter", "--net=" + ns.path(), "--", "busybox", "sleep", "600").start();
        try {
            io.vmcluster.time.Wait.forCondition("sleep to be inside " + ns)
                    .atMost(Duration.ofSeconds(10))
                    .untilTrue(() -> ns.pids().contains(p.pid()));
            ns.close();
            assertThat(p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS))
                    .as("a process left in the namespace is killed when it closes")
                    .isTrue();
            assertThat(NetworkNamespace.exists(ns.name())).isFalse();
        } finally {
            p.destroyForcibly();
            ns.close();
        }
    }
}
