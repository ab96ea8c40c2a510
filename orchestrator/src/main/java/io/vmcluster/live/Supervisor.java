package io.vmcluster.live;

import io.vmcluster.events.EventSink;
import io.vmcluster.process.ProcessIdentity;
import io.vmcluster.scenario.run.RealCluster;
import io.vmcluster.time.Timing;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The supervisor's life with a booted cluster: it opens the control socket in the cluster's run
 * directory, writes {@code live.json} beside it (so {@code ps} lists it and the reaper removes
 * both with the run), prints what to type next, hands the terminal back, and serves requests
 * until {@code down}. The caller tears the cluster down afterwards and then calls {@link
 * #stopped()}.
 */
public final class Supervisor implements AutoCloseable {
    private final LiveCluster live;
    private final ClusterControl control;
    private final ControlServer server;
    private final Path runDir;

    private Supervisor(LiveCluster live, ClusterControl control, ControlServer server, Path runDir) {
        this.live = live;
        this.control = control;
        this.server = server;
        this.runDir = runDir;
    }

    /**
     * Opens the control socket of {@code cluster} and registers it as the live cluster {@code name}.
     *
     * @param state {@code ready}, or why it is kept
     * @param startedMillis when the supervisor started (for the age {@code ps} shows)
     */
    public static Supervisor open(
            String name,
            Path source,
            RealCluster cluster,
            EventSink events,
            Timing timing,
            Path results,
            String state,
            long startedMillis) {
        var nodes = cluster.cluster().nodes();
        Supervisor sup = open(
                name,
                source,
                cluster,
                () -> {
                    Map<String, String> m = new LinkedHashMap<>();
                    nodes.forEach(n -> m.put(n.name(), n.state().name()));
                    return m;
                },
                cluster.cluster().tempDir(),
                events,
                timing,
                results,
                state,
                startedMillis);
        // what `vmcluster repl` snippets reach: this cluster and its fault API
        io.vmcluster.repl.ReplBindings.bind(cluster.cluster(), cluster.faults());
        sup.control.serialLogs(node -> cluster.cluster().node(node).serialLog());
        sup.control.displays(() -> {
            Map<String, String> m = new LinkedHashMap<>();
            nodes.forEach(n -> n.display().ifPresent(a -> m.put(n.name(), a.getHostString() + ":" + a.getPort())));
            return m;
        });
        // what `vmcluster shell` needs: ssh inside the cluster's namespace with the run's key
        Path key = cluster.cluster().tempDir().resolve("control").resolve("ssh_key");
        cluster.cluster().sshKeys().writePrivateKey(key);
        String ns = cluster.cluster().namespace().name();
        sup.control.shellInfo(node -> {
            var n = cluster.cluster().node(node);
            var ssh = n.image().channels() == null ? null : n.image().channels().ssh();
            var address = n.address();
            if (ssh == null || address.isEmpty()) return null;
            return Control.ok()
                    .put("namespace", ns)
                    .put("address", address.get().toString())
                    .put("port", ssh.port())
                    .put("user", ssh.user())
                    .put("key", key.toString());
        });
        return sup;
    }

    /**
     * {@link #open(String, Path, RealCluster, EventSink, Timing, Path, String, long)} over any
     * cluster seam, its nodes' states and a run directory to keep the socket and {@code live.json} in.
     */
    public static Supervisor open(
            String name,
            Path source,
            io.vmcluster.scenario.run.ClusterApi cluster,
            java.util.function.Supplier<Map<String, String>> nodeStates,
            Path runDir,
            EventSink events,
            Timing timing,
            Path results,
            String state,
            long startedMillis) {
        ClusterControl control = new ClusterControl(name, cluster, nodeStates, events, timing, results);
        control.state(state);
        ControlServer server = ControlServer.start(runDir.resolve("control"), control);
        LiveCluster live = new LiveCluster(
                name,
                source.toAbsolutePath().toString(),
                cluster.nodes(),
                state,
                startedMillis,
                results.toAbsolutePath().toString(),
                ProcessIdentity.current().toString(),
                server.socket().toString());
        live.writeTo(runDir);
        return new Supervisor(live, control, server, runDir);
    }

    public LiveCluster live() {
        return live;
    }

    public ClusterControl control() {
        return control;
    }

    /** What to type next, for a person at the terminal. */
    public static List<String> nextSteps(LiveCluster c) {
        String n = c.name();
        String node = c.nodes().get(0);
        return List.of(
                "  vmcluster exec " + n + " " + node
                        + " -- hostname      run a command (exit code and output passed through)",
                "  vmcluster shell " + n + " " + node
                        + "                 a login shell on the node (exit or ~. leaves)",
                "  vmcluster repl " + n + "                        JShell with cluster, faults, " + node
                        + ", ... bound (/exit leaves)",
                "  vmcluster fault " + n + " isolate " + node + "         any fault or lifecycle verb; 'fault " + n
                        + " heal' undoes the faults",
                "  vmcluster ps                                 the clusters that are up",
                "  vmcluster down " + n + "                        stop it and remove everything it made");
    }

    /** Prints the cluster and what to type next. */
    public void printNextSteps(PrintWriter out, String headline) {
        nextStepLines(headline).forEach(out::println);
        out.flush();
    }

    /** Blocks until a client asks for {@code down}. */
    public void awaitDown() throws InterruptedException {
        control.awaitDown();
    }

    /** The cluster is torn down: the waiting {@code down} gets its answer. */
    public void stopped() {
        control.downDone();
        control.awaitReplied(Duration.ofSeconds(10));
    }

    public void state(String value) {
        control.state(value);
        live.withState(value).writeTo(runDir);
    }

    /** The headline, the nodes and what to type next, as lines (console, run.log, kept.txt). */
    public List<String> nextStepLines(String headline) {
        List<String> lines = new java.util.ArrayList<>();
        lines.add(headline);
        lines.add("  nodes: " + String.join(" ", live.nodes()) + "    results: " + live.results());
        lines.addAll(nextSteps(live));
        return lines;
    }

    @Override
    public void close() {
        server.close();
    }
}
