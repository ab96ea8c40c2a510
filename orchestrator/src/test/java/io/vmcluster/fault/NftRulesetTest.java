package io.vmcluster.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.network.InterfaceName;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NftRulesetTest {
    private static final Map<String, List<InterfaceName>> TAPS = Map.of(
            "n1",
            List.of(InterfaceName.of("vt1")),
            "n2",
            List.of(InterfaceName.of("vt2")),
            "n3",
            List.of(InterfaceName.of("vt3"), InterfaceName.of("vt3b")));

    @Test
    void replacesTheWholeTableWithOneDropRulePerDirectedTapPair() {
        String script = NftRuleset.render(
                "vmc_faults_c1", TAPS, all(Partition.ofGroups(List.of(List.of("n1"), List.of("n2")))));
        assertThat(script).isEqualTo("""
                table bridge vmc_faults_c1 {
                \tchain forward {
                \t\ttype filter hook forward priority -200; policy accept;
                \t}
                }
                flush chain bridge vmc_faults_c1 forward
                add rule bridge vmc_faults_c1 forward iifname "vt1" oifname "vt2" counter drop comment "n1->n2"
                add rule bridge vmc_faults_c1 forward iifname "vt2" oifname "vt1" counter drop comment "n2->n1"
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
    void noCutsLeavesAnEmptyChainAndDeleteRemovesTheTable() {
        assertThat(NftRuleset.render("t", TAPS, Map.of())).endsWith("flush chain bridge t forward\n");
        assertThat(NftRuleset.delete("t")).isEqualTo("table bridge t\ndelete table bridge t\n");
    }

    @Test
    void refusesTapNamesThatAreNotInterfaceNames() {
        // a tap is an InterfaceName (the one interface-name rule), so a bad name cannot reach the
        // ruleset: it is refused where the NIC is described, naming the bad name
        assertThatThrownBy(() -> InterfaceName.of("bad\"tap"))
                .hasMessageContaining("bad\"tap")
                .hasMessageContaining("not a valid interface name");
    }

    private static Map<Link, Boolean> all(Partition p) {
        Map<Link, Boolean> m = new java.util.TreeMap<>();
        p.cuts().forEach(l -> m.put(l, p.keepArp()));
        return m;
    }
}
