package io.vmcluster.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NftRulesetTest {
    private static final Map<String, List<String>> TAPS =
            Map.of("n1", List.of("vt1"), "n2", List.of("vt2"), "n3", List.of("vt3", "vt3b"));

    @Test
    void replacesTheWholeTableWithOneDropRulePerDirectedTapPair() {
        String script = NftRuleset.render(
                "vmc_faults_c1", TAPS, all(Partition.ofGroups(List.of(List.of("n1"), List.of("n2")))));
        assertThat(script).isEqualTo("""
                table bridge vmc_faults_c1
                delete table bridge vmc_faults_c1
                table bridge vmc_faults_c1 {
                \tchain forward {
                \t\ttype filter hook forward priority -200; policy accept;
                \t\tiifname "vt1" oifname "vt2" counter drop comment "n1->n2"
                \t\tiifname "vt2" oifname "vt1" counter drop comment "n2->n1"
                \t}
                }
                """);
    }

    @Test
    void oneWayCutDropsOnlyFramesFromTheFirstNodesTaps() {
        String script = NftRuleset.render("t", TAPS, all(Partition.oneWay("n3", "n1")));
        assertThat(script)
                .contains("iifname \"vt3\" oifname \"vt1\" ether type != arp counter drop")
                .contains("iifname \"vt3b\" oifname \"vt1\" ether type != arp counter drop")
                .doesNotContain("oifname \"vt3");
    }

    @Test
    void noCutsOnlyDeletesTheTable() {
        assertThat(NftRuleset.render("t", TAPS, Map.of())).isEqualTo("table bridge t\ndelete table bridge t\n");
    }

    @Test
    void refusesTapNamesThatAreNotInterfaceNames() {
        assertThatThrownBy(() -> NftRuleset.render(
                        "t",
                        Map.of("n1", List.of("bad\"tap"), "n2", List.of("vt2")),
                        all(Partition.oneWay("n1", "n2"))))
                .hasMessageContaining("bad\"tap")
                .hasMessageContaining("node n1");
    }

    private static Map<Link, Boolean> all(Partition p) {
        Map<Link, Boolean> m = new java.util.TreeMap<>();
        p.cuts().forEach(l -> m.put(l, p.keepArp()));
        return m;
    }
}
