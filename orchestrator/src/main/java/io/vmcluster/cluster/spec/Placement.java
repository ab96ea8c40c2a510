package io.vmcluster.cluster.spec;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which host runs which node. {@link #LOCAL}: no hosts were named, every node runs on this
 * machine as it always has. Otherwise every node is on exactly one of {@link #hosts()}.
 *
 * @param hosts the hosts, in definition order (empty: {@link #LOCAL})
 * @param hostOfNode each node's host name (empty: {@link #LOCAL})
 */
public record Placement(List<HostSpec> hosts, Map<String, String> hostOfNode) {
    /** Every node on this machine. */
    public static final Placement LOCAL = new Placement(List.of(), Map.of());

    public Placement {
        hosts = List.copyOf(hosts);
        hostOfNode = Map.copyOf(hostOfNode);
    }

    /** Whether the cluster is spread over named hosts (rather than all on this machine). */
    public boolean isDistributed() {
        return !hosts.isEmpty();
    }

    /** The host that runs {@code node}, or empty on a {@link #LOCAL} cluster. */
    public Optional<HostSpec> hostOf(String node) {
        String h = hostOfNode.get(node);
        return h == null ? Optional.empty() : host(h);
    }

    /** The host called {@code name}. */
    public Optional<HostSpec> host(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst();
    }

    /** The nodes {@code host} runs, in the order {@code nodeNames} gives (cluster order). */
    public List<String> nodesOn(String host, List<String> nodeNames) {
        return nodeNames.stream().filter(n -> host.equals(hostOfNode.get(n))).toList();
    }
}
