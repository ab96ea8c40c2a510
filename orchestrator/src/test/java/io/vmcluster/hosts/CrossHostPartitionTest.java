package io.vmcluster.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.cluster.spec.ClusterSpec;
import io.vmcluster.cluster.spec.ClusterSpecLoader;
import io.vmcluster.network.Ipv4Address;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CrossHostPartitionTest {
    private final ClusterSpec spec = ClusterSpecLoader.parse(HostsIT.SPREAD, "spread.yaml");

    @Test
    void eachHostDropsAtItsOwnReceiversTheFramesOfTheOtherSide() {
        CrossHostPartition p = CrossHostPartition.between(Set.of("node1"), Set.of("node2", "node3"));
        String h1 = p.ruleset(spec, Set.of("node1"));
        String h2 = p.ruleset(spec, Set.of("node2", "node3"));
        String mac = "52:54:00:01:00:0";
        assertThat(h1)
                .as("on h1, node1's tap gets nothing from node2 or node3")
                .contains("oifname \"t-node1-0\" ether saddr " + mac + "2 drop")
                .contains("oifname \"t-node1-0\" ether saddr " + mac + "3 drop")
                .doesNotContain("t-node2-0", "t-node3-0");
        assertThat(h2)
                .as("on h2, node2's and node3's taps get nothing from node1, and each other's frames pass")
                .contains("oifname \"t-node2-0\" ether saddr " + mac + "1 drop")
                .contains("oifname \"t-node3-0\" ether saddr " + mac + "1 drop")
                .doesNotContain("saddr " + mac + "2", "saddr " + mac + "3");
    }

    @Test
    void anEmptyPartitionHealsByReplacingTheTable() {
        String rules = new CrossHostPartition(List.of()).ruleset(spec, Set.of("node1"));
        assertThat(rules)
                .startsWith("table bridge vmc_hosts\ndelete table bridge vmc_hosts\n")
                .doesNotContain("drop");
    }

    @Test
    void tunnelsAreMadeOnlyWhereALanSpansHostsWithOneVniEach() {
        ClusterSpec two = ClusterSpecLoader.parse(HostsIT.SPREAD + """
                lans:
                  - {name: lan}
                  - {name: back, nodes: [node2, node3]}
                """, "spread.yaml");
        List<VxlanJoin> h1 = HostsNetwork.joins(two, "h1", 100);
        List<VxlanJoin> h2 = HostsNetwork.joins(two, "h2", 100);
        assertThat(h1)
                .containsExactly(new VxlanJoin(
                        io.vmcluster.network.InterfaceName.of("br-lan"),
                        101,
                        Ipv4Address.parse("10.99.0.1"),
                        List.of(Ipv4Address.parse("10.99.0.2"))));
        assertThat(h2).as("'back' is on h2 alone: no tunnel").hasSize(1);
        assertThat(h2.get(0).peers()).containsExactly(Ipv4Address.parse("10.99.0.1"));
        assertThat(h2.get(0).device().value()).isEqualTo("vx-lan");
        assertThat(HostsNetwork.vni(0xFFFFFE, 1))
                .as("wraps inside the 24-bit range")
                .isEqualTo(0xFFFFFF);
        assertThat(HostsNetwork.vni(0xFFFFFE, 2)).isEqualTo(1);
    }
}
