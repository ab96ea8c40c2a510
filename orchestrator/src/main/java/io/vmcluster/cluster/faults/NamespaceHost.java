package io.vmcluster.cluster.faults;

import io.vmcluster.command.CommandResult;
import io.vmcluster.fault.HostNamespace;
import io.vmcluster.network.NamespacedNftables;
import io.vmcluster.network.NetworkNamespace;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@link HostNamespace} over the cluster's {@link NetworkNamespace}: nftables scripts through its
 * libnftables context, other tools as processes in the namespace.
 */
public final class NamespaceHost implements HostNamespace {
    private final NetworkNamespace namespace;

    public NamespaceHost(NetworkNamespace namespace) {
        this.namespace = namespace;
    }

    @Override
    public CommandResult exec(List<String> argv, String stdin, Duration timeout) {
        return stdin.isEmpty()
                ? namespace.exec(argv, timeout)
                : namespace.exec(argv, stdin.getBytes(StandardCharsets.UTF_8), timeout);
    }

    /** Through the namespace's libnftables context when the host has one: no process per change. */
    @Override
    public CommandResult nft(String script, Duration timeout) {
        Optional<NamespacedNftables> nft = namespace.nftables();
        if (nft.isEmpty()) {
            return HostNamespace.super.nft(script, timeout);
        }
        return nft.get().run(script, timeout);
    }
}
