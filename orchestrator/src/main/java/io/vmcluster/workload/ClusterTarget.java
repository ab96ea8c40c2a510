package io.vmcluster.workload;

import io.vmcluster.cluster.Cluster;
import io.vmcluster.cluster.NodeState;
import io.vmcluster.command.CommandResult;
import io.vmcluster.network.Ipv4Address;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A {@link WorkloadTarget} over a running cluster: a node's address is its first NIC's, sockets are
 * opened by the namespace's socket thread ({@link io.vmcluster.network.NamespacedSockets}), guest
 * commands go through the node's command channel ({@link io.vmcluster.cluster.Node#exec}).
 */
public final class ClusterTarget implements WorkloadTarget {
    private final Cluster cluster;

    public ClusterTarget(Cluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public List<String> nodes() {
        return cluster.spec().nodeNames();
    }

    @Override
    public InetSocketAddress address(String node, int port) {
        Ipv4Address a = cluster.node(node)
                .address()
                .orElseThrow(() -> new IllegalArgumentException("node " + node + " has no NIC to send requests to"));
        try {
            return new InetSocketAddress(InetAddress.getByName(a.toString()), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("node " + node + " has an address Java cannot read: " + a, e);
        }
    }

    @Override
    public SocketChannel connect(InetSocketAddress address, Duration timeout) throws IOException {
        try {
            return cluster.namespace().sockets().connect(address, timeout);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public CommandResult exec(String node, String command, Duration timeout) {
        return cluster.node(node).exec(command, timeout);
    }

    /** Not READY or PAUSED: booting (the console's shell may not be up), stopping, stopped, crashed. */
    @Override
    public Optional<String> unavailable(String node) {
        NodeState s = cluster.node(node).state();
        return s == NodeState.READY || s == NodeState.PAUSED
                ? Optional.empty()
                : Optional.of("node " + node + " is " + s);
    }
}
