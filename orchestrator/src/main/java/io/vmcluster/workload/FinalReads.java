package io.vmcluster.workload;

import java.time.Duration;
import java.util.Objects;

/**
 * The workload's last phase, after the clients stopped (and, in a scenario, after {@code heal}):
 * wait until every node answers {@code read} with the same value, for at most {@code quiescence}
 * (these polls are not recorded), then record one {@code read} on every node. Whether the nodes
 * agreed in time is reported, not judged: judging is for the checkers.
 *
 * @param read the read operation; its node pick is ignored (every node is read)
 * @param quiescence the bound on waiting for the nodes to agree; zero reads at once
 */
public record FinalReads(OpSpec read, Duration quiescence) {
    public FinalReads {
        Objects.requireNonNull(read, "read");
        Objects.requireNonNull(quiescence, "quiescence");
        if (quiescence.isNegative()) {
            throw new IllegalArgumentException("quiescence must not be negative, got " + quiescence);
        }
    }
}
