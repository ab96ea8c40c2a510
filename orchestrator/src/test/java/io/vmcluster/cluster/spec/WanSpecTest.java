package io.vmcluster.cluster.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.fault.Impairment;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Regions and WAN links in a cluster definition: the YAML, the builder, the routes, the errors. */
class WanSpecTest {
    static final String THREE_REGIONS = """
            nodes: 3
            regions:
              eu: [node1]
              us: [node2]
              ap: [node3]
            wan:
              - between: [eu, us]
                delay: 15ms
              - between: [eu, ap]
                delay: 40ms
                jitter: 2ms
              - between: [us, ap]
                delay: 75ms
                loss: 0.5%
            """;

    static List<String> problems(String yaml) {
        try {
            ClusterSpecLoader.parse(yaml, "c.yaml");
        } catch (InvalidClusterSpecException e) {
            return e.problems();
        }
        throw new AssertionError("expected problems in:\n" + yaml);
    }

    @Test
    void theYamlAndTheBuilderDescribeTheSameWan() {
        ClusterSpec fromCode = ClusterSpec.builder()
                .nodes(3)
                .region("eu", "node1")
                .region("us", "node2")
                .region("ap", "node3")
                .wan("eu", "us", Impairment.none().delay(Duration.ofMillis(15)))
                .wan("eu", "ap", Impairment.none().delay(Duration.ofMillis(40), Duration.ofMillis(2), 0))
                .wan("us", "ap", Impairment.none().delay(Duration.ofMillis(75)).loss(0.5, 0))
                .build();
        assertThat(ClusterSpecLoader.parse(THREE_REGIONS, "c.yaml")).isEqualTo(fromCode);
    }

    @Test
    void eachLinkImpairsBothDirectionsOfEveryNodePairAcrossIt() {
        ClusterSpec spec = ClusterSpecLoader.parse("""
                nodes: 4
                regions:
                  eu: [node1, node2]
                  us: [node3, node4]
                wan:
                  - between: [us, eu]
                    delay: 30ms
                """, "c.yaml");
        assertThat(spec.wan().routes())
                .extracting(r -> r.from() + "->" + r.to())
                .containsExactlyInAnyOrder(
                        "node3->node1",
                        "node1->node3",
                        "node3->node2",
                        "node2->node3",
                        "node4->node1",
                        "node1->node4",
                        "node4->node2",
                        "node2->node4");
        assertThat(spec.wan().regionOf("node2")).map(WanSpec.Region::name).contains("eu");
    }

    @Test
    void withLinkReplacesOrAddsAndWithoutLinkRemoves() {
        WanSpec wan = ClusterSpecLoader.parse(THREE_REGIONS, "c.yaml").wan();
        Impairment slow = Impairment.none().delay(Duration.ofMillis(300));
        WanSpec changed = wan.withLink("ap", "eu", slow);
        assertThat(changed.link("eu", "ap")).map(WanSpec.Link::impairment).contains(slow);
        assertThat(changed.links()).hasSize(3);
        assertThat(changed.withoutLink("eu", "ap").link("eu", "ap")).isEmpty();
        assertThat(changed.withoutLink("eu", "ap").routes()).hasSize(4);
        assertThatThrownBy(() -> wan.withLink("eu", "mars", slow))
                .hasMessage("unknown region 'mars'; the regions are eu, us, ap");
    }

    @Test
    void aClusterWithoutRegionsHasNoWan() {
        assertThat(ClusterSpecLoader.parse("nodes: 2\n", "c.yaml").wan()).isEqualTo(WanSpec.NONE);
    }

    @Test
    void everyNodeIsInExactlyOneRegion() {
        assertThat(problems("""
                nodes: 3
                regions:
                  eu: [node1, node2]
                  us: [node2, node9]
                """))
                .containsExactlyInAnyOrder(
                        "c.yaml:4:8: regions.us[0]: node 'node2' is in region eu already; a node is in one region",
                        "c.yaml:4:15: regions.us[1]: unknown node 'node9'; the nodes are node1, node2, node3",
                        "c.yaml:3:3: regions: node node3 is in no region; once a cluster has regions, every node is"
                                + " in one (the regions are eu, us)");
    }

    @Test
    void linksJoinTwoKnownDifferentRegionsOnce() {
        assertThat(problems("""
                nodes: 2
                regions: {eu: [node1], us: [node2]}
                wan:
                  - between: [eu, usa]
                    delay: 10ms
                  - between: [eu, eu]
                    delay: 10ms
                  - between: [eu, us]
                    delay: 10ms
                  - between: [us, eu]
                    delay: 20ms
                """))
                .containsExactlyInAnyOrder(
                        "c.yaml:4:19: wan[0].between[1]: unknown region 'usa'; did you mean 'us'? (the regions are"
                                + " eu, us)",
                        "c.yaml:6:14: wan[1].between: a WAN link joins two different regions, not eu to itself"
                                + " (inside a region the LAN is fast)",
                        "c.yaml:10:14: wan[3].between: regions us and eu are joined twice (also wan[2])");
    }

    @Test
    void aLinkNeedsAnImpairmentWrittenAsInTheImpairFault() {
        assertThat(problems("""
                nodes: 2
                regions: {eu: [node1], us: [node2]}
                wan:
                  - between: [eu, us]
                  - between: [eu, us]
                    dealy: 10ms
                    loss: lots
                """))
                .anySatisfy(p -> assertThat(p).startsWith("c.yaml:4:5: wan[0] needs at least one of delay, jitter"))
                .anySatisfy(p -> assertThat(p).contains("wan[1].dealy: unknown field 'dealy'; did you mean 'delay'?"))
                .anySatisfy(p -> assertThat(p).contains("'loss' must be a percentage from 0 to 100"));
    }

    @Test
    void wanLinksNeedRegions() {
        assertThat(problems("""
                nodes: 2
                wan:
                  - between: [eu, us]
                    delay: 10ms
                """))
                .anySatisfy(p -> assertThat(p).contains("wan: wan links join regions, but the cluster has none"));
    }
}
