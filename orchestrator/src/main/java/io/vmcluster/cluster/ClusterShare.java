package io.vmcluster.cluster;

import io.vmcluster.network.NetworkNamespace;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The part of a cluster spread over several hosts that one host runs (docs/scale-out.md): its
 * nodes, which host it is (the {@code index}-th, from 0: its bridges take the LAN's host address
 * minus {@code index}, so no two hosts' bridges share an address), and how its bridges are joined
 * to the other hosts' once they exist (the VXLAN tunnels of {@code io.vmcluster.hosts}). Every
 * bridge of the cluster is built on every host; taps only for this host's nodes.
 *
 * @param nodes the nodes this host runs
 * @param index this host's position among the cluster's hosts, from 0
 * @param join called once the bridges and taps exist, before any node starts
 */
public record ClusterShare(Set<String> nodes, int index, Consumer<NetworkNamespace> join) {
    public ClusterShare {
        nodes = Set.copyOf(nodes);
        Objects.requireNonNull(join, "join");
        if (index < 0 || index > 9) {
            throw new IllegalArgumentException("host index " + index + " is out of range (0..9)");
        }
    }
}
