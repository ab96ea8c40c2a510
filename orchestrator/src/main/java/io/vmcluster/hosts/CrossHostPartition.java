package io.vmcluster.hosts;

import io.vmcluster.cluster.spec.ClusterSpec;
import io.vmcluster.cluster.spec.NicSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A partition of a cluster spread over hosts, as the nftables rules one host applies on its
 * bridges: a frame from node A never reaches node B. On one host a partition drops frames between
 * two taps; across hosts the sender's tap is on another machine, so the rule is made where the
 * frame is delivered: on B's host, at B's tap, frames whose source MAC is A's NIC on that segment
 * ({@code oifname TAP(B) ether saddr MAC(A) drop}). Each host gets every cut and keeps the rules
 * for its own receivers, so the partition is whole once every host applied it. Guests that
 * forge a MAC are not cut this way (they are on one host either: the rule there is by tap).
 *
 * @param cuts ordered pairs (from, to) whose frames are dropped; a two-way cut is two pairs
 */
public record CrossHostPartition(List<List<String>> cuts) {
    /** The nftables table every host's rules go in (bridge family). */
    public static final String TABLE = "vmc_hosts";

    public CrossHostPartition {
        cuts = cuts.stream().map(List::copyOf).toList();
    }

    /** Every node of {@code side} cut from every node of {@code other}, both ways. */
    public static CrossHostPartition between(Set<String> side, Set<String> other) {
        List<List<String>> cuts = new ArrayList<>();
        for (String a : side) {
            for (String b : other) {
                cuts.add(List.of(a, b));
                cuts.add(List.of(b, a));
            }
        }
        return new CrossHostPartition(cuts);
    }

    /**
     * The ruleset for a host that runs {@code here}: replaces the table's previous contents in one
     * transaction (an empty partition heals).
     */
    public String ruleset(ClusterSpec spec, Set<String> here) {
        StringBuilder rules = new StringBuilder();
        for (List<String> cut : cuts) {
            String from = cut.get(0);
            String to = cut.get(1);
            if (!here.contains(to)) {
                continue;
            }
            for (NicSpec receiver : spec.nics(to)) {
                for (NicSpec sender : spec.nics(from)) {
                    if (sender.segment().equals(receiver.segment())) {
                        rules.append("    oifname \"")
                                .append(receiver.tapName())
                                .append("\" ether saddr ")
                                .append(sender.mac())
                                .append(" drop\n");
                    }
                }
            }
        }
        return "table bridge " + TABLE + "\ndelete table bridge " + TABLE + "\ntable bridge " + TABLE + " {\n"
                + "  chain forward {\n    type filter hook forward priority -5; policy accept;\n" + rules
                + "  }\n}\n";
    }
}
