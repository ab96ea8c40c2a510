package io.vmcluster.cluster.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClusterSpecLoaderTest {

    @Test
    void aCountGivesDefaultNodesOnTheDefaultLan() {
        ClusterSpec spec = ClusterSpecLoader.parse("nodes: 3\n", "c.yaml");
        assertThat(spec).isEqualTo(ClusterSpec.builder().nodes(3).build());
    }

    @Test
    void theYamlAndTheBuilderDescribeTheSameModel() {
        String yaml = """
                name: shop
                defaults:
                  memory: 1G
                  params:
                    jobq.mode: replicated
                nodes:
                  - node1
                  - name: db
                    memory: 768
                    cpus: 2
                    params: {etcd.heartbeat_ms: 200}
                  - name: edge
                lans:
                  - name: front
                    subnet: 192.168.1.0/24
                  - name: back
                    subnet: 10.1.0.0/24
                    nodes: [node1, db]
                links:
                  - between: [db, edge]
                    subnet: 172.31.0.0/30
                """;
        ClusterSpec fromCode = ClusterSpec.builder()
                .name("shop")
                .defaults(d -> d.memoryMiB(1024).param("jobq.mode", "replicated"))
                .node("node1")
                .node("db", n -> n.memoryMiB(768).cpus(2).param("etcd.heartbeat_ms", "200"))
                .node("edge")
                .lan("front", "192.168.1.0/24")
                .lan("back", "10.1.0.0/24", "node1", "db")
                .link("db", "edge", "172.31.0.0/30")
                .build();
        assertThat(ClusterSpecLoader.parse(yaml, "shop.yaml")).isEqualTo(fromCode);
        assertThat(fromCode.node("db").params())
                .containsEntry("jobq.mode", "replicated")
                .containsEntry("etcd.heartbeat_ms", "200");
    }

    @Test
    void anEmptyLanListMeansNoNetwork() {
        ClusterSpec spec = ClusterSpecLoader.parse("nodes: 2\nlans: []\n", "c.yaml");
        assertThat(spec.segments()).isEmpty();
    }

    @Test
    void unknownFieldsAreLocatedWithASuggestion() {
        String yaml = """
                nodes:
                  - name: node1
                    memroy: 512
                defualts: {}
                """;
        assertThatThrownBy(() -> ClusterSpecLoader.parse(yaml, "c.yaml"))
                .isInstanceOf(InvalidClusterSpecException.class)
                .satisfies(
                        e -> assertThat(((InvalidClusterSpecException) e).problems())
                                .containsExactly(
                                        "c.yaml:4:1: defualts: unknown field 'defualts'; did you mean 'defaults'?"
                                                + " (valid here: defaults, hosts, lans, links, name, nodes, regions, wan)",
                                        "c.yaml:3:5: nodes[0].memroy: unknown field 'memroy'; did you mean 'memory'?"
                                                + " (valid here: cpus, display, host, image, kernel_args, memory, name, params, ready_command)"));
    }

    @Test
    void kernelArgumentsAndReadyCommandsComeFromTheDefaultsAndTheNode() {
        ClusterSpec spec = ClusterSpecLoader.parse("""
                defaults:
                  kernel_args: mitigations=off  sysctl.vm.swappiness=10
                  ready_command: etcdctl endpoint health
                nodes:
                  - node1
                  - name: node2
                    kernel_args: [quiet, "loglevel=7 x=y"]
                    ready_command: "true"
                """, "c.yaml");
        assertThat(spec.node("node1").kernelArgs()).containsExactly("mitigations=off", "sysctl.vm.swappiness=10");
        assertThat(spec.node("node2").kernelArgs())
                .containsExactly("mitigations=off", "sysctl.vm.swappiness=10", "quiet", "loglevel=7", "x=y");
        assertThat(spec.node("node1").ready()).contains("etcdctl endpoint health");
        assertThat(spec.node("node2").ready()).contains("true");
    }

    @Test
    void kernelArgumentsWithQuotesOrOfTheRuntimeAreRefusedAtTheirLine() {
        String yaml = """
                nodes:
                  - name: node1
                    kernel_args: vmc.jobq.mode=local
                  - name: node2
                    kernel_args: [a="b c"]
                """;
        assertThatThrownBy(() -> ClusterSpecLoader.parse(yaml, "c.yaml"))
                .isInstanceOf(InvalidClusterSpecException.class)
                .satisfies(e -> assertThat(((InvalidClusterSpecException) e).problems())
                        .containsExactly(
                                "c.yaml:3:18: nodes[0].kernel_args: kernel argument 'vmc.jobq.mode=local': vmc.*"
                                        + " arguments come from params (params: {jobq.mode: local})",
                                "c.yaml:5:18: nodes[1].kernel_args: kernel argument 'a=\"b' has a quote; write"
                                        + " plain words KEY=VALUE",
                                "c.yaml:5:18: nodes[1].kernel_args: kernel argument 'c\"' has a quote; write"
                                        + " plain words KEY=VALUE"));
    }

    @Test
    void aScreenComesFromTheDefaultsOrTheNodeAndIsNoneOtherwise() {
        ClusterSpec spec = ClusterSpecLoader.parse("""
                defaults: {display: vnc}
                nodes:
                  - name: node1
                  - {name: node2, display: none}
                """, "c.yaml");
        assertThat(spec.node("node1").display()).isEqualTo(Display.VNC);
        assertThat(spec.node("node2").display()).isEqualTo(Display.NONE);
        assertThat(ClusterSpecLoader.parse("nodes: 1\n", "c.yaml").node("node1").display())
                .isEqualTo(Display.NONE);
        assertThat(ClusterSpecLoader.parse("nodes: 2\n", "c.yaml")
                        .withDisplay(Display.VNC)
                        .nodes())
                .as("up --display vnc")
                .allSatisfy(n -> assertThat(n.display()).isEqualTo(Display.VNC));
    }

    @Test
    void anUnknownScreenIsRefusedAtItsLineWithTheValidOnes() {
        assertThatThrownBy(() -> ClusterSpecLoader.parse("nodes:\n  - {name: node1, display: vcn}\n", "c.yaml"))
                .isInstanceOf(InvalidClusterSpecException.class)
                .satisfies(e -> assertThat(((InvalidClusterSpecException) e).problems())
                        .containsExactly("c.yaml:2:28: nodes[0].display: display 'vcn': one of none, vnc;"
                                + " did you mean 'vnc'?"));
    }

    @Test
    void unknownNodesInLansAndLinksAreLocatedAndListTheValidNames() {
        String yaml = """
                nodes: 3
                lans:
                  - name: lan
                    nodes: [node1, node5]
                links:
                  - between: [node2, nod3]
                """;
        assertThatThrownBy(() -> ClusterSpecLoader.parse(yaml, "c.yaml"))
                .satisfies(e -> assertThat(((InvalidClusterSpecException) e).problems())
                        .containsExactly(
                                "c.yaml:4:20: lans[0].nodes[1]: unknown node 'node5'; the nodes are node1, node2, node3",
                                "c.yaml:6:22: links[0].between[1]: unknown node 'nod3'; the nodes are node1, node2,"
                                        + " node3"));
    }

    @Test
    void wrongTypesSayWhatWasFound() {
        String yaml = """
                nodes: three
                defaults:
                  memory: lots
                  cpus: [1]
                """;
        assertThatThrownBy(() -> ClusterSpecLoader.parse(yaml, "c.yaml"))
                .satisfies(e -> assertThat(((InvalidClusterSpecException) e).problems())
                        .containsExactly(
                                "c.yaml:1:8: nodes: expected a node count (e.g. 3) or a list of nodes,"
                                        + " found the text 'three'",
                                "c.yaml:3:11: defaults.memory: expected a memory size in MiB such as 512, 512M or 1G,"
                                        + " found the text 'lots'",
                                "c.yaml:4:9: defaults.cpus: expected a whole number, found a list"));
    }

    @Test
    void brokenYamlIsReportedWithItsPosition() {
        assertThatThrownBy(() -> ClusterSpecLoader.parse("nodes: [1, 2\n", "c.yaml"))
                .hasMessageContaining("c.yaml:")
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void missingNodesIsReported() {
        assertThatThrownBy(() -> ClusterSpecLoader.parse("name: x\n", "c.yaml"))
                .hasMessageContaining("c.yaml:1:1: nodes: missing field 'nodes'");
    }
}
