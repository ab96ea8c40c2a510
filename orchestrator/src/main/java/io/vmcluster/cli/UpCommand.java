package io.vmcluster.cli;

import io.vmcluster.cluster.Cluster;
import io.vmcluster.cluster.spec.Display;
import io.vmcluster.events.JsonLinesEventSink;
import io.vmcluster.live.Detached;
import io.vmcluster.live.LiveClusters;
import io.vmcluster.live.Supervisor;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.report.ConsoleReporter;
import io.vmcluster.report.ResultsDirectory;
import io.vmcluster.report.RunLog;
import io.vmcluster.report.Style;
import io.vmcluster.scenario.run.RealCluster;
import io.vmcluster.time.Durations;
import io.vmcluster.time.Timing;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * {@code vmcluster up CLUSTER.yaml|SCENARIO.yaml}: checks the file (exit 2), the name, the host
 * (exit 3) and the images, then boots the cluster in a detached supervisor and returns once every
 * node is ready, printing what to type next. The supervisor keeps the VMs until {@code vmcluster
 * down}; see {@link Detached} for how it is started and what happens when either side dies.
 */
@CommandLine.Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = "Boots a cluster and keeps it up (until vmcluster down): exec, fault, ps and down reach it by"
                + " its name. A scenario file boots the scenario's cluster with its params; its tests are not run.")
public final class UpCommand implements Callable<Integer> {
    @CommandLine.Mixin
    Verbosity.Mixin verbosity;

    @CommandLine.Parameters(index = "0", paramLabel = "CLUSTER.yaml|SCENARIO.yaml", description = "What to boot.")
    Path file;

    @CommandLine.Option(
            names = "--name",
            paramLabel = "NAME",
            description = "What exec, fault and down call it (default: the cluster's name).")
    String name;

    @CommandLine.Option(
            names = "--results",
            paramLabel = "DIR",
            description = "Its results directory: events, node logs (default: results/<yyyyMMdd-HHmmss>-<name>/).")
    Path results;

    @CommandLine.Option(
            names = "--accel",
            defaultValue = "auto",
            paramLabel = "auto|kvm|tcg",
            description = "How guests run (default: ${DEFAULT-VALUE}).")
    Accelerator accel;

    @CommandLine.Option(
            names = {"-p", "--param"},
            paramLabel = "KEY=VALUE",
            description = "Override a param of the scenario (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    @CommandLine.Option(
            names = "--display",
            paramLabel = "none|vnc",
            description = "Give every node a screen (vnc: a VGA display a VNC viewer reaches on 127.0.0.1, the port"
                    + " printed; default: as the file says, none unless a node has display: vnc).")
    Display display;

    @CommandLine.Option(names = "--supervise", hidden = true, description = "Be the cluster's supervisor (internal).")
    boolean supervise;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Checks the host can boot at all; tests of the wiring skip it. */
    Runnable preflight = () -> HostPreflight.requireBootable(Timing.standard());

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (supervise) {
            return supervise(out);
        }
        LiveSource src = LiveSource.read(file, params);
        String n = LiveSource.checkName(name != null ? name : src.spec().name());
        LiveClusters.standard().find(n).ifPresent(c -> {
            throw new InvalidInputException("a cluster named '" + n + "' is already up (results " + c.results()
                    + "): give this one another --name, or stop that one with vmcluster down " + n);
        });
        ResultsDirectory dir = RunCommand.createResults(
                results != null
                        ? new ResultsDirectory(results)
                        : ResultsDirectory.under(Path.of("results"), n, LocalDateTime.now()),
                results != null);
        preflight.run();
        src.ensureImages(err);
        List<String> args = new ArrayList<>(List.of(
                "up",
                file.toAbsolutePath().toString(),
                "--name",
                n,
                "--results",
                dir.root().toAbsolutePath().toString(),
                "--accel",
                accel.name().toLowerCase(java.util.Locale.ROOT),
                "--supervise"));
        params.forEach((k, v) -> args.addAll(List.of("--param", k + "=" + v)));
        if (display != null) args.addAll(List.of("--display", display.label()));
        for (int i = 0; i < verbosity.verbose.length; i++) args.add("-v");
        return Detached.startAndRelay(Detached.selfCommand(args), Path.of("").toAbsolutePath(), out);
    }

    private int supervise(PrintWriter out) throws Exception {
        Detached.stopIfOrphaned(System.in, System.err);
        LiveSource src = LiveSource.read(file, params);
        ResultsDirectory dir = new ResultsDirectory(results);
        Timing timing = Timing.standard();
        long t0 = System.nanoTime();
        long started = System.currentTimeMillis();
        try (JsonLinesEventSink events = JsonLinesEventSink.open(dir.events());
                RunLog log = RunLog.open(dir.runLog())) {
            events.addListener(new ConsoleReporter(out, Style.PLAIN)).addListener(log);
            out.println("Booting " + name + ": " + String.join(" ", src.spec().nodeNames()));
            out.flush();
            Cluster cluster = Cluster.start(
                    display == null ? src.spec() : src.spec().withDisplay(display),
                    io.vmcluster.cluster.RunOptions.defaults()
                            .withAccelerator(accel)
                            .withResultsDir(dir.root().toAbsolutePath())
                            .withEvents(events)
                            .withTiming(timing));
            RealCluster rc = RealCluster.of(cluster, timing);
            try (Supervisor sup = Supervisor.open(name, file, rc, events, timing, dir.root(), "ready", started)) {
                sup.printNextSteps(
                        out,
                        "Cluster " + name + " is up after " + Durations.format(Duration.ofNanos(System.nanoTime() - t0))
                                + ".");
                Detached.handOff(0, dir.root().resolve("supervisor.log"));
                sup.awaitDown();
                sup.state("stopping");
                try {
                    rc.close();
                } finally {
                    sup.stopped();
                }
            }
        }
        return 0;
    }
}
