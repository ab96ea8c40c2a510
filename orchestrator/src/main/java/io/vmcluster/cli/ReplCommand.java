package io.vmcluster.cli;

import io.vmcluster.live.Control;
import io.vmcluster.live.LiveCluster;
import io.vmcluster.live.LiveClusters;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.repl.ReplBindings;
import io.vmcluster.repl.SupervisorEngineProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import jdk.jshell.tool.JavaShellToolBuilder;
import picocli.CommandLine;

/**
 * {@code vmcluster repl [CLUSTER|CLUSTER.yaml]}: JShell (the JDK's {@code jshell} tool, its line
 * editing, completion and history) with the Java API on the class path and {@code cluster},
 * {@code faults}, {@code node1}, … bound to a live cluster. Snippets are compiled here and run in
 * the cluster's supervisor ({@link io.vmcluster.repl.ReplEngine}), on the very objects it runs,
 * so what they do is what {@code exec}, {@code fault} and {@code ps} see. Given a file, it boots
 * that cluster first (as {@code up}) and stops it when the session ends; given a name (or
 * nothing, with one cluster up) it joins that cluster and leaves it up.
 */
@CommandLine.Command(
        name = "repl",
        mixinStandardHelpOptions = true,
        description = "JShell with the Java API and cluster, faults, node1, ... bound: a cluster that is up, or one"
                + " booted from a file for the session (stopped when you leave).")
public final class ReplCommand implements Callable<Integer> {
    @CommandLine.Mixin
    Verbosity.Mixin verbosity;

    @CommandLine.Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "CLUSTER|CLUSTER.yaml",
            description = "A cluster that is up (default: the only one), or a cluster or scenario file to boot.")
    String target;

    @CommandLine.Option(
            names = "--name",
            paramLabel = "NAME",
            description = "With a file: what the booted cluster is called (default: the cluster's name).")
    String name;

    @CommandLine.Option(
            names = "--accel",
            defaultValue = "auto",
            paramLabel = "auto|kvm|tcg",
            description = "With a file: how guests run (default: ${DEFAULT-VALUE}).")
    Accelerator accel;

    @CommandLine.Option(
            names = "--display",
            paramLabel = "none|vnc",
            description = "With a file: give every node a screen (as up --display).")
    io.vmcluster.cluster.spec.Display display;

    @CommandLine.Option(
            names = {"-p", "--param"},
            paramLabel = "KEY=VALUE",
            description = "With a scenario file: override a param (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean boot = target != null && isFile(target);
        if (!boot && (name != null || !params.isEmpty() || display != null)) {
            throw new InvalidInputException("--name, --param and --display go with a cluster file to boot, not with a"
                    + " cluster"
                    + " that is up ('" + target + "')");
        }
        String which = target;
        if (boot) {
            LiveSource src = LiveSource.read(Path.of(target), params);
            which = LiveSource.checkName(name != null ? name : src.spec().name());
            List<String> up = new ArrayList<>(List.of(
                    "up", target, "--name", which, "--accel", accel.name().toLowerCase(Locale.ROOT)));
            params.forEach((k, v) -> up.addAll(List.of("--param", k + "=" + v)));
            if (display != null) up.addAll(List.of("--display", display.label()));
            int rc = Vmcluster.commandLine(out, err).execute(up.toArray(String[]::new));
            if (rc != 0) return rc;
        }
        LiveCluster c = LiveClusters.standard().resolve(which);
        // a session that booted its cluster stops it however the session ends (a hang-up, kill)
        Thread down = new Thread(() -> Vmcluster.commandLine(out, err).execute("down", c.name()), "vmc-repl-down");
        if (boot) Runtime.getRuntime().addShutdownHook(down);
        try {
            LiveClient.call(c, Control.request("status"));
            return session(c, boot, err);
        } finally {
            if (boot) {
                Runtime.getRuntime().removeShutdownHook(down);
                down.run();
            }
        }
    }

    /**
     * Where the session's startup snippets are written for the {@code jshell} tool to read: beside
     * the cluster's control socket, in its run directory (mode 0700), not in /tmp. The session
     * deletes it when it ends, the JVM when it is stopped (SIGTERM, SIGHUP, Ctrl-C), and a session
     * killed outright (SIGKILL) leaves it only until the cluster is removed with its run directory.
     */
    static Path startupFile(LiveCluster c) {
        Path f = c.socketPath().resolveSibling("repl-" + ProcessHandle.current().pid() + ".jsh");
        f.toFile().deleteOnExit();
        return f;
    }

    private static boolean isFile(String s) {
        return s.endsWith(".yaml") || s.endsWith(".yml") || Files.isRegularFile(Path.of(s));
    }

    private int session(LiveCluster c, boolean boot, PrintWriter err) throws Exception {
        Path startup = startupFile(c);
        try {
            Files.writeString(startup, ReplBindings.startup(c.nodes()));
            String nodes = c.nodes().stream().map(ReplBindings::variable).collect(Collectors.joining(", "));
            String node = ReplBindings.variable(c.nodes().get(0));
            err.println("vmcluster repl: cluster " + c.name() + "; snippets run in its supervisor. Bound: cluster,"
                    + " faults, " + nodes + ".");
            err.println("  " + node + ".succeed(\"hostname\")   faults.isolate(\""
                    + c.nodes().get(0)
                    + "\")   faults.heal()   /help   /exit leaves"
                    + (boot ? " (and stops the cluster)" : " (the cluster stays up)"));
            err.flush();
            SupervisorEngineProvider.target(c.socketPath());
            return JavaShellToolBuilder.builder()
                    .persistence(new HashMap<>())
                    .start(
                            "--class-path",
                            System.getProperty("java.class.path"),
                            "--execution",
                            SupervisorEngineProvider.NAME,
                            "--startup",
                            "DEFAULT",
                            "--startup",
                            startup.toString());
        } finally {
            try {
                Files.deleteIfExists(startup);
            } catch (IOException ignored) {
                // a temporary file
            }
        }
    }
}
