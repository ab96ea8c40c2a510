package io.vmcluster.fault;

import io.vmcluster.network.InterfaceName;
import java.util.List;
import java.util.Map;

/**
 * The bridge-family nftables table that cuts links between tap ports of the cluster's bridges.
 * Each directed cut {@code a -> b} becomes one rule per pair of their taps: frames that enter the
 * bridge from a tap of {@code a} and would leave through a tap of {@code b} are dropped. Flooded
 * frames (ARP, broadcasts) pass the forward hook once per output port, so they are dropped too: a
 * partition looks to the guests like a switch that lost the path, with carrier still up. A cut
 * may keep ARP (one-way cuts do), so that the open direction still resolves addresses.
 *
 * <p>The script always replaces every rule of the table in one transaction ({@code nft -f -}). Frames
 * to and from the host side of the bridge (the input/output hooks) are never touched.
 */
final class NftRuleset {
    private NftRuleset() {}

    /** The name of the cluster's fault table, e.g. {@code vmc_faults_c1}. */
    static String tableName(String clusterId) {
        return "vmc_faults_" + clusterId;
    }

    /**
     * The script for {@code nft -f -} that leaves the table holding exactly {@code cuts}: it
     * declares the table and chain (a no-op when they exist), flushes the chain and adds one rule
     * per cut tap pair, all in one transaction. The table is kept between changes: replacing its
     * rules costs about half of deleting and re-creating it (which re-registers the hook).
     *
     * @param tapsByNode every node's tap ports (nodes without taps may be missing)
     * @param cuts each cut link, mapped to true if ARP may still pass on it
     */
    static String render(String table, Map<String, List<InterfaceName>> tapsByNode, Map<Link, Boolean> cuts) {
        StringBuilder sb = new StringBuilder();
        sb.append("table bridge ").append(table).append(" {\n");
        sb.append("\tchain forward {\n");
        sb.append("\t\ttype filter hook forward priority -200; policy accept;\n");
        sb.append("\t}\n}\n");
        sb.append("flush chain bridge ").append(table).append(" forward\n");
        for (Link cut : cuts.keySet().stream().sorted().toList()) {
            String match = cuts.get(cut) ? " ether type != arp counter drop comment \"" : " counter drop comment \"";
            for (InterfaceName in : tapsByNode.getOrDefault(cut.from(), List.of())) {
                for (InterfaceName out : tapsByNode.getOrDefault(cut.to(), List.of())) {
                    sb.append("add rule bridge ")
                            .append(table)
                            .append(" forward iifname \"")
                            .append(in.value())
                            .append("\" oifname \"")
                            .append(out.value())
                            .append('"')
                            .append(match)
                            .append(cut)
                            .append("\"\n");
                }
            }
        }
        return sb.toString();
    }

    /** The script that removes the table, whether it exists or not. */
    static String delete(String table) {
        return "table bridge " + table + "\ndelete table bridge " + table + "\n";
    }
}
