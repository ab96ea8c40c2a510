package io.vmcluster.cli;

import io.vmcluster.cluster.NodeBootException;
import io.vmcluster.events.JsonLinesEventSink;
import io.vmcluster.image.ImageStore;
import io.vmcluster.nemesis.Schedule;
import io.vmcluster.nemesis.ScheduleJson;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.report.ConsoleReporter;
import io.vmcluster.report.HtmlReport;
import io.vmcluster.report.JUnitXmlWriter;
import io.vmcluster.report.ResultsDirectory;
import io.vmcluster.report.RunLog;
import io.vmcluster.report.RunRecorder;
import io.vmcluster.report.RunReport;
import io.vmcluster.report.Style;
import io.vmcluster.scenario.Scenario;
import io.vmcluster.scenario.ScenarioParser;
import io.vmcluster.scenario.ScenarioRunner;
import io.vmcluster.scenario.Timeouts;
import io.vmcluster.scenario.run.ClusterLauncher;
import io.vmcluster.scenario.run.NemesisOptions;
import io.vmcluster.scenario.run.RealCluster;
import io.vmcluster.scenario.run.RunOptions;
import io.vmcluster.scenario.run.RunResult;
import io.vmcluster.time.Timing;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;

/**
 * {@code vmcluster run SCENARIO.yaml}: parse and validate (exit 2, nothing booted, on bad input),
 * check the host can boot at all (exit 3), build the image on first use, run the scenario with the
 * console, {@code run.log}, {@code events.jsonl} and {@code test-output.xml} fed from its events,
 * write {@code report.html} from the directory, and exit 0 when every test passed, 1 when a test
 * failed, 3 when the cluster could not boot on this host (with the fix), 4 when it did not boot
 * because of a vmcluster bug.
 */
@CommandLine.Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Runs a scenario: boots its cluster, runs its tests, tears the cluster down, and writes"
                + " the results directory (JUnit XML, run log, events, per-node logs).")
public final class RunCommand implements Callable<Integer> {
    private static final String ON_EXIT = "vmcluster-report-on-exit";

    @CommandLine.Mixin
    Verbosity.Mixin verbosity;

    @CommandLine.Parameters(index = "0", paramLabel = "SCENARIO.yaml", description = "The scenario file.")
    Path scenarioFile;

    @CommandLine.Option(
            names = "--results",
            paramLabel = "DIR",
            description = "This run's results directory (default: results/<yyyyMMdd-HHmmss>-<scenario>/).")
    Path results;

    @CommandLine.Option(
            names = "--accel",
            defaultValue = "auto",
            paramLabel = "auto|kvm|tcg",
            description = "How guests run: kvm, tcg (emulation), or auto: KVM when a KVM guest shows signs of"
                    + " life, else TCG (default: ${DEFAULT-VALUE}).")
    Accelerator accel;

    @CommandLine.Option(
            names = {"-p", "--param"},
            paramLabel = "KEY=VALUE",
            description = "Override a param the scenario declares (repeatable); reaches every node as vmc.KEY=VALUE"
                    + " and every step as $${KEY}.")
    Map<String, String> params = new LinkedHashMap<>();

    @CommandLine.Option(
            names = "--timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Bound for the whole run, boot included (e.g. 30m); default: the scenario's timeouts.run.")
    Duration timeout;

    @CommandLine.Option(
            names = "--capture-packets",
            description = "Record every NIC's frames for the whole run, from each VM start on, into"
                    + " captures/<node>-<nic>-boot<n>.pcap in the results directory.")
    boolean capturePackets;

    @CommandLine.Option(
            names = "--seed",
            paramLabel = "N",
            description = "The seed every nemesis step draws its schedule from (overrides their own seed:);"
                    + " default: one is chosen and printed.")
    Long seed;

    @CommandLine.Option(
            names = "--schedule",
            paramLabel = "FILE",
            description = "Replay: apply this schedule.json (from an earlier run's results directory) at the"
                    + " scenario's nemesis step instead of drawing one.")
    Path schedule;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Boots the cluster: real VMs; tests hand in a stand-in to check the wiring without VMs. */
    ClusterLauncher launcher = RealCluster.LAUNCHER;

    /** Checks the host can boot at all (exit 3 otherwise); tests with a stand-in cluster skip it. */
    Runnable preflight = () -> HostPreflight.requireBootable(Timing.standard());

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        Scenario scenario = withTimeout(ScenarioParser.parse(scenarioFile, params));
        NemesisOptions nemesis = nemesisOptions(scenario);
        ScenarioImages.check(
                scenario, ImageBuilder.standard(), ImageStore.standard().cacheDir());
        // The results path is the user's input: blame it before anything slow (host checks, image builds).
        ResultsDirectory dir = createResults(
                results != null
                        ? new ResultsDirectory(results)
                        : ResultsDirectory.under(Path.of("results"), scenario.name(), LocalDateTime.now()));
        preflight.run();
        ensureImages(scenario, err);

        RunRecorder recorder = new RunRecorder(scenario.name());
        ConsoleReporter console = new ConsoleReporter(out, Style.detect());
        AtomicBoolean reported = new AtomicBoolean();
        Thread onKill = new Thread(() -> writeReport(recorder, dir, reported), ON_EXIT);
        Runtime.getRuntime().addShutdownHook(onKill);
        RunReport report;
        RunResult result;
        java.util.concurrent.atomic.AtomicReference<String> runSeed =
                new java.util.concurrent.atomic.AtomicReference<>();
        try (JsonLinesEventSink events = JsonLinesEventSink.open(dir.events());
                RunLog log = RunLog.open(dir.runLog())) {
            events.addListener(recorder).addListener(console).addListener(log).addListener(e -> {
                if (e.is(io.vmcluster.events.EventKind.RUN_START) && e.fields().get("seed") != null) {
                    runSeed.set(String.valueOf(e.fields().get("seed")));
                }
            });
            RunOptions options = new RunOptions(
                            dir.root().toAbsolutePath(), accel, launcher, Timing.standard(), capturePackets)
                    .withNemesis(nemesis);
            result = ScenarioRunner.run(scenario, options, events);
            report = writeReport(recorder, dir, reported);
            var lines = new io.vmcluster.report.ConsoleFormat(Style.PLAIN).summary(report);
            log.write(lines);
            console.summary(report);
        } finally {
            removeHook(onKill);
        }
        out.println("Report:  " + writePage(dir, err));
        out.println("Results: " + dir.root());
        if (runSeed.get() != null) {
            out.println("Seed:    " + runSeed.get()
                    + (schedule != null
                            ? " (replayed " + schedule + ")"
                            : " (again: --seed " + runSeed.get() + "; this schedule exactly: --schedule "
                                    + dir.root().resolve(io.vmcluster.nemesis.ScheduleJson.FILE) + ")"));
        }
        out.flush();
        if (result.bootFailure() != null) {
            throw bootFailure(result.bootFailure());
        }
        return (report.passed() ? ExitCode.PASSED : ExitCode.TEST_FAILED).code();
    }

    /**
     * What a cluster that did not boot means for the exit code: a node that could not come up on
     * this host (QEMU refused, no working accelerator, too slow) is exit 3 with the fix, a broken
     * image exit 3 as well (its own exception); anything else is a vmcluster bug (exit 4). The
     * details (serial and stderr tails) were shown when it happened and are in run.log.
     */
    static RuntimeException bootFailure(Throwable failure) {
        if (failure instanceof NodeBootException boot) {
            String first = boot.getMessage().lines().findFirst().orElse("");
            return new HostLacksException(
                    "the cluster did not boot: " + first
                            + (boot.fix().isEmpty() ? "" : "\n  fix: " + boot.fix())
                            + "\n  (QEMU's stderr and the serial log are above, in run.log and in the node's results"
                            + " directory)",
                    boot);
        }
        if (failure instanceof RuntimeException re) {
            return re;
        }
        return new IllegalStateException("the cluster did not start: " + failure, failure);
    }

    /** The results directory, created; a path that cannot be one is the user's input, blamed on the option. */
    private ResultsDirectory createResults(ResultsDirectory dir) {
        try {
            return dir.create();
        } catch (java.io.UncheckedIOException e) {
            String reason = e.getCause() instanceof java.nio.file.FileSystemException fse && fse.getReason() != null
                    ? fse.getReason()
                    : e.getCause() instanceof java.nio.file.FileAlreadyExistsException f
                            ? f.getFile() + " exists and is not a directory"
                            : e.getCause() instanceof java.nio.file.AccessDeniedException a
                                    ? "permission denied on " + a.getFile()
                                    : "cannot create it";
            throw new InvalidInputException(
                    (results != null ? "--results " : "results directory ") + dir.root() + ": " + reason);
        }
    }

    /**
     * {@code --seed} or {@code --schedule} (not both). A schedule must read, must be for this
     * cluster's nodes, and the scenario must run exactly one nemesis step to apply it at.
     */
    NemesisOptions nemesisOptions(Scenario scenario) {
        if (schedule == null) {
            return seed == null ? NemesisOptions.NONE : NemesisOptions.seed(seed);
        }
        if (seed != null) {
            throw new InvalidInputException(
                    "--seed and --schedule exclude each other: a replay's seed is the schedule's");
        }
        if (!Files.isRegularFile(schedule)) {
            throw new InvalidInputException("--schedule " + schedule + ": no such file");
        }
        Schedule s;
        try {
            s = ScheduleJson.read(schedule);
        } catch (java.io.IOException e) {
            throw new InvalidInputException("--schedule " + schedule + ": " + e.getMessage());
        } catch (io.vmcluster.nemesis.InvalidScheduleException e) {
            throw new InvalidInputException("--schedule " + e.getMessage());
        }
        if (!s.nodes().equals(scenario.cluster().nodes())) {
            throw new InvalidInputException("--schedule " + schedule + ": drawn for nodes " + s.nodes()
                    + ", but the scenario's cluster has " + scenario.cluster().nodes());
        }
        int runs = scenario.nemesisRuns();
        if (runs != 1) {
            throw new InvalidInputException("--schedule " + schedule + ": the scenario " + scenarioFile
                    + (runs == 0 ? " has no nemesis step" : " runs " + runs + " nemesis steps")
                    + "; a replay applies its one schedule at exactly one");
        }
        return NemesisOptions.replay(s);
    }

    private Scenario withTimeout(Scenario s) {
        if (timeout == null) {
            return s;
        }
        Timeouts t = s.timeouts();
        return new Scenario(
                s.name(),
                s.description(),
                s.file(),
                s.cluster(),
                s.params(),
                new Timeouts(t.step(), t.test(), timeout),
                s.stopOnFailure(),
                s.tests());
    }

    /** Builds each image the cluster uses if the cache does not have it yet, saying so (it takes minutes). */
    private static void ensureImages(Scenario scenario, PrintWriter err) {
        Path cache = ImageStore.standard().cacheDir();
        scenario.cluster().spec().nodes().stream()
                .map(n -> n.image())
                .filter(image -> image != null && !image.contains("/")) // a path is used as it is
                .distinct()
                .filter(image -> !Files.isRegularFile(cache.resolve(image).resolve("image.json")))
                .forEach(image -> {
                    err.println("image " + image + " is not built yet: building it now (first use only) ...");
                    err.flush();
                    ImageBuilder.standard().build(image, err);
                });
    }

    private static synchronized RunReport writeReport(RunRecorder recorder, ResultsDirectory dir, AtomicBoolean done) {
        RunReport report = recorder.report();
        if (done.compareAndSet(false, true) || !Files.exists(dir.junitXml())) {
            JUnitXmlWriter.write(report, dir.junitXml());
            if (Thread.currentThread().getName().equals(ON_EXIT)) {
                writePage(dir, null); // killed: the page of what was recorded so far
            }
        }
        return report;
    }

    /**
     * Writes report.html from the directory; a page that cannot be made does not change the run's
     * verdict, it is said on stderr and the path is the directory's.
     */
    private static Path writePage(ResultsDirectory dir, PrintWriter err) {
        try {
            return HtmlReport.write(dir);
        } catch (RuntimeException e) {
            if (err != null) {
                err.println("vmcluster: could not write report.html: " + e.getMessage() + " (vmcluster report "
                        + dir.root() + " tries again)");
                err.flush();
            }
            return dir.root();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting; the hook writes the report
        }
    }
}
