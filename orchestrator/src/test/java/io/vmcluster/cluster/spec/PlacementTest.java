package io.vmcluster.cluster.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.network.Ipv4Address;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PlacementTest {

    private static final String TWO_HOSTS = """
            hosts:
              - {name: h1, ssh: root@10.0.0.5}
              - {name: h2, ssh: ops@h2.example:2222, vxlan: 10.0.0.6}
            nodes:
              - {name: node1, host: h1}
              - {name: node2, host: h2}
              - {name: node3, host: h2}
            """;

    @Test
    void aClusterWithoutHostsRunsOnThisMachine() {
        ClusterSpec spec = ClusterSpecLoader.parse("nodes: 3\n", "c.yaml");
        assertThat(spec.placement()).isEqualTo(Placement.LOCAL);
        assertThat(spec.placement().isDistributed()).isFalse();
        assertThat(spec.placement().hostOf("node1")).isEmpty();
    }

    @Test
    void hostsAndEachNodesHostAreRead() {
        ClusterSpec spec = ClusterSpecLoader.parse(TWO_HOSTS, "c.yaml");
        Placement p = spec.placement();
        assertThat(p.isDistributed()).isTrue();
        assertThat(p.hosts())
                .containsExactly(
                        new HostSpec("h1", new SshTarget("root", "10.0.0.5", 22), Ipv4Address.parse("10.0.0.5")),
                        new HostSpec("h2", new SshTarget("ops", "h2.example", 2222), Ipv4Address.parse("10.0.0.6")));
        assertThat(p.hostOf("node3").map(HostSpec::name)).contains("h2");
        assertThat(p.nodesOn("h2", spec.nodeNames())).containsExactly("node2", "node3");
        assertThat(p.nodesOn("h1", spec.nodeNames())).containsExactly("node1");
    }

    @Test
    void theYamlAndTheBuilderDescribeTheSamePlacement() {
        ClusterSpec fromCode = ClusterSpec.builder()
                .host("h1", "root@10.0.0.5", null)
                .host("h2", "ops@h2.example:2222", "10.0.0.6")
                .node("node1", n -> n.host("h1"))
                .node("node2", n -> n.host("h2"))
                .node("node3", n -> n.host("h2"))
                .build();
        assertThat(ClusterSpecLoader.parse(TWO_HOSTS, "c.yaml")).isEqualTo(fromCode);
    }

    @Test
    void theDefaultsCanNameTheHostOfEveryNode() {
        ClusterSpec spec = ClusterSpecLoader.parse("""
                hosts: [{name: h1, ssh: 10.0.0.5}, {name: h2, ssh: 10.0.0.6}]
                defaults: {host: h1}
                nodes: [node1, {name: node2, host: h2}]
                """, "c.yaml");
        assertThat(spec.placement().hostOfNode()).containsEntry("node1", "h1").containsEntry("node2", "h2");
        assertThat(spec.placement().hosts().get(0).ssh().user())
                .as("root by default: the agent makes namespaces")
                .isEqualTo("root");
    }

    @Nested
    class Refused {
        @Test
        void anUnknownHostIsLocatedWithASuggestionAndTheValidOnes() {
            assertThatThrownBy(() -> ClusterSpecLoader.parse(TWO_HOSTS.replace("host: h1", "host: h3"), "c.yaml"))
                    .isInstanceOf(InvalidClusterSpecException.class)
                    .hasMessageContaining(
                            "c.yaml:5:25: nodes[0].host: unknown host 'h3'; did you mean 'h1'? (the hosts are h1, h2)");
        }

        @Test
        void aNodeOnNoHostOnceHostsAreNamed() {
            assertThatThrownBy(() ->
                            ClusterSpecLoader.parse(TWO_HOSTS.replace("{name: node1, host: h1}", "node1"), "c.yaml"))
                    .hasMessageContaining("nodes: node node1 is on no host; once a cluster names hosts")
                    .hasMessageContaining("the hosts are h1, h2");
        }

        @Test
        void aHostOfANodeWhenTheClusterNamesNone() {
            assertThatThrownBy(() -> ClusterSpecLoader.parse("nodes: [{name: node1, host: h1}]\n", "c.yaml"))
                    .hasMessageContaining("c.yaml:1:29: nodes[0].host: node node1 is on host h1, but the cluster"
                            + " names no hosts (add hosts: [{name: h1, ssh: root@ADDRESS}])");
        }

        @Test
        void aBrokenSshAddressSaysWhatWouldBeValid() {
            assertThatThrownBy(() -> ClusterSpecLoader.parse(TWO_HOSTS.replace("root@10.0.0.5", "root@@x"), "c.yaml"))
                    .hasMessageContaining("c.yaml:2:21: hosts[0].ssh: 'root@@x' is not an SSH address; write"
                            + " [USER@]ADDRESS[:PORT], e.g. root@10.0.0.5");
            assertThatThrownBy(() ->
                            ClusterSpecLoader.parse(TWO_HOSTS.replace("root@10.0.0.5", "10.0.0.5:70000"), "c.yaml"))
                    .hasMessageContaining("hosts[0].ssh: '10.0.0.5:70000': port 70000 is out of range (1..65535)");
        }

        @Test
        void aHostReachedByNameNeedsItsVxlanAddress() {
            assertThatThrownBy(() -> ClusterSpecLoader.parse(TWO_HOSTS.replace(", vxlan: 10.0.0.6", ""), "c.yaml"))
                    .hasMessageContaining("hosts[1].vxlan: host h2 is reached as h2.example, which is no IPv4"
                            + " address: give the address its VXLAN tunnels use (vxlan: 10.0.0.5)");
        }

        @Test
        void twoHostsWithOneNameOrOneEndpoint() {
            assertThatThrownBy(() -> ClusterSpecLoader.parse(TWO_HOSTS.replace("10.0.0.6", "10.0.0.5"), "c.yaml"))
                    .hasMessageContaining("hosts[1].vxlan: host h2 has VXLAN endpoint 10.0.0.5, as host h1 has");
            assertThatThrownBy(() -> ClusterSpecLoader.parse(TWO_HOSTS.replace("name: h2", "name: h1"), "c.yaml"))
                    .hasMessageContaining("hosts[1].name: host name 'h1' is used twice (also hosts[0])");
        }

        @Test
        void missingFieldsAndUnknownOnes() {
            assertThatThrownBy(() -> ClusterSpecLoader.parse("""
                            hosts: [{name: h1, sh: root@10.0.0.5}]
                            nodes: [{name: node1, host: h1}]
                            """, "c.yaml"))
                    .hasMessageContaining("hosts[0].sh: unknown field 'sh'; did you mean 'ssh'?")
                    .hasMessageContaining("hosts[0].ssh: missing field 'ssh' of the host (e.g. ssh: root@10.0.0.5)");
        }

        @Test
        void atMostTenHosts() {
            StringBuilder y = new StringBuilder("hosts:\n");
            StringBuilder n = new StringBuilder("nodes:\n");
            for (int i = 1; i <= 11; i++) {
                y.append("  - {name: h")
                        .append(i)
                        .append(", ssh: 10.0.0.")
                        .append(i)
                        .append("}\n");
                n.append("  - {name: node")
                        .append(i)
                        .append(", host: h")
                        .append(i)
                        .append("}\n");
            }
            assertThatThrownBy(() -> ClusterSpecLoader.parse(y + n.toString(), "c.yaml"))
                    .hasMessageContaining("hosts[10]: 11 hosts: at most 10");
        }

        @Test
        void aHostWithoutNodes() {
            assertThatThrownBy(() -> ClusterSpecLoader.parse(TWO_HOSTS.replace("host: h1", "host: h2"), "c.yaml"))
                    .hasMessageContaining("hosts[0]: host h1 runs no node; put a node on it (host: h1) or remove it");
        }
    }

    @Test
    void sshTargetsPrintAsTheyAreWritten() {
        assertThat(List.of(SshTarget.parse("10.0.0.5"), SshTarget.parse("ops@h:2222")))
                .extracting(SshTarget::toString)
                .containsExactly("root@10.0.0.5", "ops@h:2222");
    }
}
