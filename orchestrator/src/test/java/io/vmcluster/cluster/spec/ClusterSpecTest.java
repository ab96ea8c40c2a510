package io.vmcluster.cluster.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ClusterSpecTest {

    @Nested
    class DefaultLan {
        final ClusterSpec spec = ClusterSpec.builder().nodes(3).build();

        @Test
        void nodesAreNamedByNumberWithDefaults() {
            assertThat(spec.nodeNames()).containsExactly("node1", "node2", "node3");
            assertThat(spec.node("node2")).isEqualTo(new NodeSpec("node2", 2, "etcd-test", 512, 1, Map.of()));
        }

        @Test
        void everyNodeIsOnOneLanAtTenPlusId() {
            assertThat(spec.lans()).hasSize(1);
            Segment lan = spec.segments().get(0);
            assertThat(lan.subnet()).hasToString("192.168.1.0/24");
            assertThat(lan.hostAddress()).map(Object::toString).contains("192.168.1.254");
            assertThat(lan.bridgeName()).isEqualTo("br-lan");
            assertThat(lan.nics())
                    .extracting(n -> n.address().toString())
                    .containsExactly("192.168.1.11", "192.168.1.12", "192.168.1.13");
        }

        @Test
        void macsAndInterfaceNamesAreDerivedFromSegmentAndNodeId() {
            NicSpec nic = spec.nics("node3").get(0);
            assertThat(nic.mac()).hasToString("52:54:00:01:00:03");
            assertThat(nic.deviceId()).isEqualTo("nic0");
            assertThat(nic.netdevId()).isEqualTo("net0");
            assertThat(nic.tapName()).isEqualTo("t-node3-0");
            assertThat(nic.cidr()).isEqualTo("192.168.1.13/24");
        }

        @Test
        void unknownNodeListsTheValidOnes() {
            assertThatThrownBy(() -> spec.node("node9"))
                    .hasMessage("unknown node 'node9'; the nodes are node1, node2, node3");
        }
    }

    @Nested
    class CustomTopology {
        final ClusterSpec spec = ClusterSpec.builder()
                .nodes(4)
                .lan("front", "192.168.1.0/24", "node1", "node2", "node3")
                .lan("back", "10.0.0.0/24", "node3", "node2")
                .link("node1", "node4")
                .build();

        @Test
        void aNodeOnSeveralLansHasOneNicPerLanInDefinitionOrder() {
            List<NicSpec> nics = spec.nics("node2");
            assertThat(nics).extracting(NicSpec::segment).containsExactly("front", "back");
            assertThat(nics).extracting(NicSpec::cidr).containsExactly("192.168.1.12/24", "10.0.0.12/24");
            assertThat(nics)
                    .extracting(n -> n.mac().toString())
                    .containsExactly("52:54:00:01:00:02", "52:54:00:02:00:02");
            assertThat(nics).extracting(NicSpec::tapName).containsExactly("t-node2-0", "t-node2-1");
        }

        @Test
        void aLinkGivesHostOneAndTwoOfItsDefaultSubnetAndNoHostAddress() {
            Segment link = spec.segments().get(2);
            assertThat(link.kind()).isEqualTo(Segment.Kind.LINK);
            assertThat(link.name()).isEqualTo("node1--node4");
            assertThat(link.hostAddress()).isEmpty();
            assertThat(link.nics()).extracting(NicSpec::cidr).containsExactly("172.30.1.1/24", "172.30.1.2/24");
            assertThat(spec.nics("node4")).extracting(NicSpec::segment).containsExactly("node1--node4");
        }

        @Test
        void hostsTablePrefersAnAddressOnASharedSegment() {
            // node4 shares only the link with node1; the others it knows by their first address
            assertThat(GuestParams.hosts(spec, "node4"))
                    .isEqualTo("node1=172.30.1.1,node2=192.168.1.12,node3=192.168.1.13,node4=172.30.1.2");
        }

        @Test
        void aNodeOnNoLanGetsNoAddressParams() {
            ClusterSpec lonely = ClusterSpec.builder()
                    .nodes(2)
                    .lan("lan", "192.168.1.0/24", "node1")
                    .build();
            assertThat(lonely.nics("node2")).isEmpty();
            assertThat(GuestParams.of(lonely, "node2", null)).doesNotContainKeys("ip", "addrs");
        }
    }

    @Test
    void guestParamsFollowTheImageContract() {
        ClusterSpec spec = ClusterSpec.builder()
                .nodes(2)
                .defaults(d -> d.param("jobq.mode", "replicated"))
                .node("node3", n -> n.param("jobq.mode", "local").memoryMiB(1024))
                .build();
        Map<String, String> p = GuestParams.of(spec, "node3", "c3NoLWVkMjU1MTk=");
        assertThat(GuestParams.commandLine(p))
                .isEqualTo("vmc.name=node3 vmc.id=3 vmc.ip=192.168.1.13/24"
                        + " vmc.addrs=52:54:00:01:00:03=192.168.1.13/24"
                        + " vmc.hosts=node1=192.168.1.11,node2=192.168.1.12,node3=192.168.1.13"
                        + " vmc.ssh_key=c3NoLWVkMjU1MTk= vmc.jobq.mode=local");
        assertThat(spec.node("node3").memoryMiB()).isEqualTo(1024);
        assertThat(spec.node("node1").params()).containsEntry("jobq.mode", "replicated");
    }

    @Test
    void builderReportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> ClusterSpec.builder()
                        .nodes(2)
                        .node("node2")
                        .node("Bad_Name")
                        .lan("lan", "192.168.1.0/33")
                        .link("node1", "node7")
                        .defaults(d -> d.param("ip", "1.2.3.4").cpus(0))
                        .build())
                .isInstanceOf(InvalidClusterSpecException.class)
                .satisfies(e -> assertThat(((InvalidClusterSpecException) e).problems())
                        .containsExactlyInAnyOrder(
                                "defaults.cpus: cpus 0 is out of range (1..64)",
                                "defaults.params.ip: parameter 'ip' is set by vmcluster itself"
                                        + " (reserved: addrs, hosts, id, ip, name, ssh_key)",
                                "nodes[2].name: node name 'node2' is used twice (also nodes[1])",
                                "nodes[3].name: node name 'Bad_Name' must match [a-z][a-z0-9-]{0,30}"
                                        + " (it becomes the guest's host name)",
                                "lans[0].subnet: prefix length /33 not supported (use /8 to /30, e.g. 192.168.1.0/24)",
                                "links[0].between[1]: unknown node 'node7'; the nodes are node1, node2"));
    }

    @Test
    void overlappingSubnetsAreRejected() {
        assertThatThrownBy(() -> ClusterSpec.builder()
                        .nodes(2)
                        .lan("a", "10.0.0.0/16")
                        .lan("b", "10.0.5.0/24")
                        .build())
                .hasMessageContaining("lans[1].subnet: LAN b (10.0.5.0/24) overlaps LAN a (10.0.0.0/16)");
    }

    @Test
    void aSubnetTooSmallForTheNodeIdsIsRejected() {
        assertThatThrownBy(() -> ClusterSpec.builder()
                        .nodes(5)
                        .lan("tiny", "10.0.0.0/28")
                        .build())
                .hasMessageContaining("subnet 10.0.0.0/28 is too small for node node4");
    }

    @Test
    void loopsInCodeBuildTopologies() {
        ClusterSpec.Builder b = ClusterSpec.builder().nodes(5).noLans();
        for (int i = 1; i < 5; i++) {
            b.link("node" + i, "node" + (i + 1));
        }
        ClusterSpec ring = b.build();
        assertThat(ring.segments()).hasSize(4);
        assertThat(ring.nics("node3")).extracting(NicSpec::cidr).containsExactly("172.30.2.2/24", "172.30.3.1/24");
    }
}
