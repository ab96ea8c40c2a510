package io.vmcluster.fault;

import io.vmcluster.command.CommandResult;
import io.vmcluster.network.InterfaceName;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The cluster's silent cuts: every open partition and one-way cut contributes its links, and the
 * nftables table always holds exactly their union. Adding or removing one rewrites the whole
 * table in one nftables transaction, so overlapping faults undo cleanly in any order.
 */
final class NetworkCuts {
    private static final Duration NFT_TIMEOUT = Duration.ofSeconds(10);

    private final FaultCluster cluster;
    private final String table;
    private final Map<String, Partition> byFault = new LinkedHashMap<>();

    NetworkCuts(FaultCluster cluster) {
        this.cluster = cluster;
        this.table = NftRuleset.tableName(cluster.id());
    }

    String table() {
        return table;
    }

    /** Adds the links of fault {@code faultId}; on failure nothing changes. */
    synchronized void add(String faultId, Partition partition, FaultKind kind, String target) {
        byFault.put(faultId, partition);
        try {
            write(kind, target);
        } catch (RuntimeException e) {
            byFault.remove(faultId);
            throw e;
        }
    }

    /** Removes the links of fault {@code faultId}. */
    synchronized void remove(String faultId, FaultKind kind, String target) {
        if (byFault.remove(faultId) != null) {
            write(kind, target);
        }
    }

    /** Forgets every cut and removes the table (idempotent). */
    synchronized void clear() {
        byFault.clear();
        run(NftRuleset.delete(table), FaultKind.PARTITION, "cluster");
    }

    /** Every cut link, mapped to true if ARP may pass (only if every fault cutting it keeps ARP). */
    synchronized SortedMap<Link, Boolean> active() {
        SortedMap<Link, Boolean> all = new TreeMap<>();
        for (Partition p : byFault.values()) {
            for (Link l : p.cuts()) {
                all.merge(l, p.keepArp(), Boolean::logicalAnd);
            }
        }
        return all;
    }

    private void write(FaultKind kind, String target) {
        Map<String, List<InterfaceName>> taps = new LinkedHashMap<>();
        for (FaultTarget node : cluster.nodes()) {
            taps.put(node.name(), node.nics().stream().map(NodeNic::tap).toList());
        }
        run(NftRuleset.render(table, taps, active()), kind, target);
    }

    private void run(String script, FaultKind kind, String target) {
        CommandResult r = cluster.namespace().nft(script, NFT_TIMEOUT);
        if (!r.succeeded()) {
            throw new FaultException(
                    kind,
                    target,
                    "nft refused the ruleset of table bridge " + table + " (" + r.evidence() + "); script was:\n"
                            + script);
        }
    }
}
