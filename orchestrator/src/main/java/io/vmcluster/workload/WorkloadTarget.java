package io.vmcluster.workload;

import io.vmcluster.command.CommandResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;

/**
 * What a workload needs of a cluster: its node names, where a node listens, sockets that reach it
 * (for a real cluster: created inside the cluster's network namespace, so the host's requests travel
 * the same bridges and taps that faults cut), and guest commands. {@link ClusterTarget} adapts a
 * running {@link io.vmcluster.cluster.Cluster}; tests adapt servers on loopback.
 *
 * <p>Every method may be called from many client threads at once. Timeouts are nominal: the
 * implementation scales them by the timing multiplier, as the rest of the runtime does.
 */
public interface WorkloadTarget {
    /** Node names, in order. */
    List<String> nodes();

    /** Where {@code node} listens on TCP {@code port}. */
    InetSocketAddress address(String node, int port);

    /**
     * A connected, blocking TCP channel to {@code address}.
     *
     * @throws IOException when it could not connect; a {@link java.net.ConnectException} (refused)
     *     or a connect timeout means no byte of a request left the host
     */
    SocketChannel connect(InetSocketAddress address, Duration timeout) throws IOException;

    /**
     * Runs {@code command} with {@code /bin/sh -c} on {@code node} through its command channel.
     *
     * @throws io.vmcluster.command.CommandTimeoutException when it ran out of time (it was killed)
     * @throws Exception when the channel failed (the VM is down, the socket closed)
     */
    CommandResult exec(String node, String command, Duration timeout) throws Exception;

    /**
     * Why {@code node} cannot take guest commands now ("node2 is BOOTING"), or empty when it can.
     * The workload sends no guest command and takes no probe sample on such a node: a command typed
     * into a console before the guest's shell is up can leave that console unusable for the rest
     * of the run. A paused node can take them (they run when it resumes, or time out).
     */
    default java.util.Optional<String> unavailable(String node) {
        return java.util.Optional.empty();
    }
}
