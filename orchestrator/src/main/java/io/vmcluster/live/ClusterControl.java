package io.vmcluster.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmcluster.command.CommandResult;
import io.vmcluster.events.EventKind;
import io.vmcluster.events.EventSink;
import io.vmcluster.scenario.ScenarioException;
import io.vmcluster.scenario.parse.CommandLineStep;
import io.vmcluster.scenario.run.ClusterApi;
import io.vmcluster.scenario.run.SingleStep;
import io.vmcluster.scenario.run.StepFailedException;
import io.vmcluster.scenario.step.Step;
import io.vmcluster.time.Timing;
import io.vmcluster.yaml.Problem;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What a live cluster's supervisor answers on its control socket: {@code status}, {@code exec}
 * (a command on a node, its exit code and output), {@code fault} (any fault, heal, lifecycle or
 * service verb of the scenario language, read by the scenario's own parser and run as a test
 * runs it), {@code shell} (how to reach a node over SSH), {@code console} (where its serial
 * console is written), {@code repl} (the connection becomes a
 * JShell engine running in this process, {@link io.vmcluster.repl.ReplEngine}) and {@code down}. Every command and fault is recorded in the cluster's events like a
 * run's.
 */
public final class ClusterControl implements ControlServer.Handler {
    /** The bound of a fault verb without its own {@code timeout=}: a restart waits for readiness. */
    static final Duration FAULT_BOUND = Duration.ofMinutes(5);

    private final String name;
    private final ClusterApi cluster;
    private final Supplier<Map<String, String>> nodeStates;
    private final EventSink events;
    private final Timing timing;
    private final Path results;
    private final CountDownLatch downRequested = new CountDownLatch(1);
    private final CountDownLatch downDone = new CountDownLatch(1);
    private volatile String state = "ready";

    public ClusterControl(
            String name,
            ClusterApi cluster,
            Supplier<Map<String, String>> nodeStates,
            EventSink events,
            Timing timing,
            Path results) {
        this.name = name;
        this.cluster = cluster;
        this.nodeStates = nodeStates;
        this.events = events;
        this.timing = timing;
        this.results = results;
    }

    public void state(String value) {
        this.state = value;
    }

    /** Blocks until a client asked for {@code down}. */
    public void awaitDown() throws InterruptedException {
        downRequested.await();
    }

    /** Whether a client asked for {@code down}, waiting at most {@code timeout}. */
    public boolean awaitDown(Duration timeout) throws InterruptedException {
        return downRequested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks for {@code down} from inside (the supervisor's own end). */
    public void requestDown() {
        replied.countDown();
        downRequested.countDown();
        signal(false);
    }

    /** The cluster is down: the {@code down} request that is waiting gets its reply. */
    public void downDone() {
        downDone.countDown();
    }

    @Override
    public ObjectNode handle(JsonNode request, SocketChannel channel) throws Exception {
        String op = request.path("op").asText("");
        return switch (op) {
            case "status" -> status();
            case "exec" -> exec(request);
            case "fault" -> fault(request);
            case "down" -> down(channel);
            case "shell" -> shell(request);
            case "repl" -> repl(channel);
            case "repl-stop" -> replStop(request);
            case "console" -> console(request);
            default ->
                Control.error(
                        4,
                        "the supervisor of '" + name + "' does not know the request '" + op
                                + "' (status, exec, fault, shell, console, repl, repl-stop, down)");
        };
    }

    private ObjectNode status() {
        ObjectNode r = Control.ok().put("name", name).put("state", state);
        ObjectNode nodes = r.putObject("nodes");
        nodeStates.get().forEach(nodes::put);
        Map<String, String> screens = displays.get();
        if (!screens.isEmpty()) {
            ObjectNode d = r.putObject("displays");
            screens.forEach(d::put);
        }
        return r;
    }

    private volatile Supplier<Map<String, String>> displays = Map::of;

    /** Where a VNC viewer on this host reaches each node's screen ({@code 127.0.0.1:PORT}), for the nodes with one. */
    public void displays(Supplier<Map<String, String>> value) {
        this.displays = value;
    }

    private ObjectNode exec(JsonNode request) throws Exception {
        String node = request.path("node").asText();
        if (!cluster.nodes().contains(node)) {
            return unknownNode(node);
        }
        String command = request.path("command").asText();
        Duration timeout = Duration.ofMillis(request.path("timeout_ms").asLong(FAULT_BOUND.toMillis()));
        long t0 = System.nanoTime();
        CommandResult res;
        try {
            res = cluster.exec(node, command, timing.scale(timeout));
        } catch (Exception e) {
            events.record(EventKind.COMMAND, node, Map.of("command", command, "error", String.valueOf(e.getMessage())));
            return Control.error(1, node + " of cluster '" + name + "': " + e.getMessage());
        }
        events.record(
                EventKind.COMMAND,
                node,
                Map.of(
                        "command",
                        command,
                        "exit",
                        res.exitCode(),
                        "stdout",
                        cap(res.stdoutText()),
                        "stderr",
                        cap(res.stderrText()),
                        "ms",
                        (System.nanoTime() - t0) / 1_000_000,
                        "interactive",
                        true));
        return Control.ok()
                .put("exit", res.exitCode())
                .put("stdout", Base64.getEncoder().encodeToString(res.stdout()))
                .put("stderr", Base64.getEncoder().encodeToString(res.stderr()));
    }

    private volatile java.util.function.Function<String, ObjectNode> shellInfo = node -> null;

    /** How a person's shell reaches a node (namespace, address, port, user, key), or null where it cannot. */
    public void shellInfo(java.util.function.Function<String, ObjectNode> value) {
        this.shellInfo = value;
    }

    private ObjectNode shell(JsonNode request) {
        String node = request.path("node").asText();
        if (!cluster.nodes().contains(node)) {
            return unknownNode(node);
        }
        ObjectNode info = shellInfo.apply(node);
        if (info == null) {
            return Control.error(
                    2,
                    node + " of cluster '" + name + "' offers no SSH (its image declares no ssh channel): use"
                            + " vmcluster exec " + name + " " + node + " -- CMD");
        }
        events.record(EventKind.COMMAND, node, Map.of("command", "(interactive shell)", "interactive", true));
        return info;
    }

    private volatile java.util.function.Function<String, Path> serialLogs = node -> null;

    /** Where each node's serial console (ttyS0) is written, for {@code vmcluster console}. */
    public void serialLogs(java.util.function.Function<String, Path> value) {
        this.serialLogs = value;
    }

    private ObjectNode console(JsonNode request) {
        String node = request.path("node").asText();
        if (!cluster.nodes().contains(node)) {
            return unknownNode(node);
        }
        Path log = serialLogs.apply(node);
        if (log == null) {
            return Control.error(2, node + " of cluster '" + name + "' has no serial console here");
        }
        return Control.ok().put("serial_log", log.toAbsolutePath().toString());
    }

    /** A JShell engine in this process for {@code vmcluster repl}: the connection is its stream from now on. */
    private ObjectNode repl(SocketChannel channel) throws java.io.IOException {
        long session = repl.open();
        Control.writeLine(channel, Control.ok().put("name", name).put("session", session));
        repl.serve(session, channel);
        return null;
    }

    private final io.vmcluster.repl.ReplEngine repl = new io.vmcluster.repl.ReplEngine();

    /**
     * Ctrl-C in a {@code vmcluster repl}: stops the snippet that session runs now; {@code stopped}
     * is false when none ran (between two snippets of a line).
     */
    private ObjectNode replStop(JsonNode request) {
        long session = request.path("session").asLong(-1);
        return switch (repl.stop(session)) {
            case STOPPED -> Control.ok().put("stopped", true);
            case NOTHING_RUNNING -> Control.ok().put("stopped", false);
            case NO_SESSION -> Control.error(2, "cluster '" + name + "' has no repl session " + session);
        };
    }

    private ObjectNode unknownNode(String node) {
        return Control.error(
                2,
                "cluster '" + name + "' has no node '" + node + "'"
                        + io.vmcluster.yaml.Suggest.didYouMean(node, cluster.nodes()) + "; its nodes are "
                        + String.join(", ", cluster.nodes()));
    }

    private ObjectNode fault(JsonNode request) {
        List<String> words = new ArrayList<>();
        request.path("words").forEach(w -> words.add(w.asText()));
        Step step;
        try {
            step = CommandLineStep.parse(words, cluster.nodes(), CommandLineStep.FAULT_VERBS);
        } catch (ScenarioException e) {
            return Control.error(
                    2,
                    String.join(
                            "\n", e.problems().stream().map(Problem::toString).toList()));
        }
        try {
            SingleStep.run(cluster, step, "interactive", events, timing, FAULT_BOUND, results);
        } catch (StepFailedException e) {
            return Control.error(1, "cluster '" + name + "': " + e.failure().message());
        }
        if (step instanceof io.vmcluster.scenario.step.LifecycleStep l
                && l.action() == io.vmcluster.scenario.step.LifecycleStep.Action.RESUME
                && l.nodes().all()) {
            signal(true);
        }
        return Control.ok().put("done", step.describe());
    }

    private final Object wake = new Object();
    private boolean resumedFlag;

    /**
     * Blocks until {@code fault resume all} (true; the flag is consumed) or {@code down} (false):
     * how a run paused on a failure waits.
     */
    public boolean awaitResumeOrDown() throws InterruptedException {
        synchronized (wake) {
            while (!resumedFlag && downRequested.getCount() > 0) {
                wake.wait();
            }
            boolean r = resumedFlag && downRequested.getCount() > 0;
            resumedFlag = false;
            return r;
        }
    }

    private void signal(boolean resume) {
        synchronized (wake) {
            if (resume) resumedFlag = true;
            wake.notifyAll();
        }
    }

    private ObjectNode down(SocketChannel channel) throws Exception {
        downRequested.countDown();
        signal(false);
        downDone.await();
        try {
            Control.writeLine(channel, Control.ok().put("down", name));
        } finally {
            replied.countDown();
            channel.close();
        }
        return null;
    }

    private final CountDownLatch replied = new CountDownLatch(1);

    /** After {@link #downDone()}: waits (bounded) until the {@code down} request got its reply. */
    void awaitReplied(Duration bound) {
        if (downRequested.getCount() > 0) return;
        try {
            replied.await(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String cap(String s) {
        return s.length() <= 4096 ? s : s.substring(0, 4096) + "…";
    }

    static Map<String, String> noStates(List<String> nodes) {
        Map<String, String> m = new LinkedHashMap<>();
        nodes.forEach(n -> m.put(n, "?"));
        return m;
    }
}
