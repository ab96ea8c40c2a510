package io.vmcluster.fault;

import java.nio.file.Path;
import java.util.List;

/**
 * The narrow view of a running cluster that {@link Faults} works on.
 *
 * @param id short unique id of the running cluster; names the nftables table
 * @param nodes every node, in cluster order
 * @param namespace the cluster's network namespace (host tools run there)
 * @param runDirectory where captures are written
 */
public record FaultCluster(String id, List<FaultTarget> nodes, HostNamespace namespace, Path runDirectory) {
    public FaultCluster {
        if (!id.matches("[A-Za-z0-9_]{1,40}")) {
            throw new IllegalArgumentException("cluster id must be 1-40 letters, digits or _, got '" + id + "'");
        }
        nodes = List.copyOf(nodes);
    }

    /** The node with this name, or a clear error listing the cluster's nodes. */
    public FaultTarget node(String name) {
        return nodes.stream()
                .filter(n -> n.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node '" + name + "' in this cluster; nodes are "
                        + nodes.stream().map(FaultTarget::name).toList()));
    }

    public List<String> nodeNames() {
        return nodes.stream().map(FaultTarget::name).toList();
    }
}
