package io.vmcluster.cli;

import io.vmcluster.live.Control;
import io.vmcluster.live.LiveCluster;
import io.vmcluster.live.LiveClusters;
import io.vmcluster.nativeio.Native;
import io.vmcluster.process.ProcessIdentity;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * {@code vmcluster down [CLUSTER|--all]}: asks the supervisor to heal, stop every VM and remove the
 * namespace and run directory, and returns when it has. A supervisor that does not answer is sent
 * SIGTERM (its shutdown hook removes the cluster; the reaper removes what a dead one left).
 */
@CommandLine.Command(
        name = "down",
        mixinStandardHelpOptions = true,
        description = "Stops a cluster that is up and removes everything it made (its results directory stays).")
public final class DownCommand implements Callable<Integer> {
    @CommandLine.Mixin
    Verbosity.Mixin verbosity;

    @CommandLine.Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "CLUSTER",
            description = "Which (default: the only one up).")
    String name;

    @CommandLine.Option(names = "--all", description = "Every cluster that is up.")
    boolean all;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (all && name != null) {
            throw new InvalidInputException("give a cluster name or --all, not both");
        }
        LiveClusters clusters = LiveClusters.standard();
        List<LiveCluster> which = all ? clusters.list() : List.of(clusters.resolve(name));
        if (which.isEmpty()) {
            out.println("no cluster is up");
        }
        for (LiveCluster c : which) {
            try {
                Control.call(c.socketPath(), Control.request("down"));
                out.println("down: " + c.name() + " (results: " + c.results() + ")");
            } catch (IOException e) {
                ProcessIdentity sup = ProcessIdentity.parse(c.supervisor());
                if (sup.isAlive()) Native.kill(sup.pid(), Native.SIGTERM);
                out.println("down: " + c.name() + ": its supervisor did not answer (" + e.getMessage()
                        + "); sent it SIGTERM (pid " + sup.pid() + ")");
            }
            out.flush();
        }
        return 0;
    }
}
