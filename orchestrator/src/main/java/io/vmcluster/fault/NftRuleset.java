package io.vmcluster.fault;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The bridge-family nftables table that cuts links between tap ports of the cluster's bridges.
 * Each directed cut {@code a -> b} becomes one rule per pair of their taps: frames that enter the
 * bridge from a tap of {@code a} and would leave through a tap of {@code b} are dropped. Flooded
 * frames (ARP, broadcasts) pass the forward hook once per output port, so they are dropped too: a
 * partition looks to the guests like a switch that lost the path, with carrier still up. A cut
 * may keep ARP (one-way cuts do), so that the open direction still resolves addresses.
 *
 * <p>The script always replaces the whole table in one transaction ({@code nft -f -}): it creates
 * the table if missing, deletes it, and (if there are cuts) adds it back with every rule. Frames
 * to and from the host side of the bridge (the input/output hooks) are never touched.
 */
final class NftRuleset {
    private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

    private NftRuleset() {}

    /** The name of the cluster's fault table, e.g. {@code vmc_faults_c1}. */
    static String tableName(String clusterId) {
        return "vmc_faults_" + clusterId;
    }

    /**
     * The script for {@code nft -f -} that leaves the table holding exactly {@code cuts}.
     *
     * @param tapsByNode every node's tap ports (nodes without taps may be missing)
     * @param cuts each cut link, mapped to true if ARP may still pass on it
     */
    static String render(String table, Map<String, List<String>> tapsByNode, Map<Link, Boolean> cuts) {
        StringBuilder sb = new StringBuilder();
        sb.append("table bridge ").append(table).append('\n');
        sb.append("delete table bridge ").append(table).append('\n');
        if (cuts.isEmpty()) {
            return sb.toString();
        }
        sb.append("table bridge ").append(table).append(" {\n");
        sb.append("\tchain forward {\n");
        sb.append("\t\ttype filter hook forward priority -200; policy accept;\n");
        for (Link cut : cuts.keySet().stream().sorted().toList()) {
            String match =
                    cuts.get(cut) ? "\" ether type != arp counter drop comment \"" : "\" counter drop comment \"";
            for (String in : taps(tapsByNode, cut.from())) {
                for (String out : taps(tapsByNode, cut.to())) {
                    sb.append("\t\tiifname \"")
                            .append(in)
                            .append("\" oifname \"")
                            .append(out)
                            .append(match)
                            .append(cut)
                            .append("\"\n");
                }
            }
        }
        sb.append("\t}\n}\n");
        return sb.toString();
    }

    private static List<String> taps(Map<String, List<String>> tapsByNode, String node) {
        List<String> taps = tapsByNode.getOrDefault(node, List.of());
        for (String tap : taps) {
            if (!IFNAME.matcher(tap).matches()) {
                throw new IllegalArgumentException("tap name '" + tap + "' of node " + node
                        + " is not a valid interface name (1-15 of A-Z a-z 0-9 _ . -)");
            }
        }
        return taps;
    }
}
