package io.vmcluster.fault;

import io.vmcluster.command.CommandResult;
import java.time.Duration;
import java.util.List;

/** Runs host tools (nft, tc, ip) inside the cluster's network namespace. */
@FunctionalInterface
public interface HostNamespace {
    /** Runs {@code argv} in the namespace with {@code stdin} (may be empty) fed to it. */
    CommandResult exec(List<String> argv, String stdin, Duration timeout);

    /** Runs an nftables script in the namespace as one transaction ({@code nft -f -} unless overridden). */
    default CommandResult nft(String script, Duration timeout) {
        return exec(List.of("nft", "-f", "-"), script, timeout);
    }
}
