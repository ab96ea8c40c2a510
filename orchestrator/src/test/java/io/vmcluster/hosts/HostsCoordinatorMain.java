package io.vmcluster.hosts;

import io.vmcluster.network.NamespacedSockets;
import io.vmcluster.network.NetworkNamespace;
import io.vmcluster.time.Timing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A coordinator in a JVM of its own, for {@link HostsIT} to kill: starts the cluster of args[0]
 * with the key args[1] and known hosts args[2], connecting from namespace args[3], results to
 * args[4]; prints {@code CLUSTER <run id> <namespace on h1> <namespace on h2>} and waits.
 */
public final class HostsCoordinatorMain {
    private HostsCoordinatorMain() {}

    public static void main(String[] args) throws Exception {
        Timing timing = Timing.standard();
        NamespacedSockets sockets = NamespacedSockets.enter(NetworkNamespace.path(args[3]), timing);
        HostLogin login = new HostLogin(Path.of(args[1]), Path.of(args[2]), Optional.empty())
                .withSocketFactory(sockets.jschSocketFactory(Duration.ofSeconds(10)));
        HostsCluster c = HostsCluster.start(Path.of(args[0]), login, HostsIT.options(Path.of(args[4])));
        System.out.println("CLUSTER " + c.runId() + " " + c.namespaceOn("h1") + " " + c.namespaceOn("h2"));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
