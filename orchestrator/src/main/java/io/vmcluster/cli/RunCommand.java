package io.vmcluster.cli;

import io.vmcluster.cluster.NodeBootException;
import io.vmcluster.events.JsonLinesEventSink;
import io.vmcluster.image.ImageStore;
import io.vmcluster.live.Detached;
import io.vmcluster.live.InspectableCluster;
import io.vmcluster.live.Supervisor;
import io.vmcluster.nemesis.Schedule;
import io.vmcluster.nemesis.ScheduleJson;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.report.JUnitXmlWriter;
import io.vmcluster.report.ResultsDirectory;
import io.vmcluster.report.RunLog;
import io.vmcluster.report.RunReport;
import io.vmcluster.scenario.Scenario;
import io.vmcluster.scenario.ScenarioParser;
import io.vmcluster.scenario.Timeouts;
import io.vmcluster.scenario.run.ClusterApi;
import io.vmcluster.scenario.run.ClusterLauncher;
import io.vmcluster.scenario.run.NemesisOptions;
import io.vmcluster.scenario.run.RealCluster;
import io.vmcluster.time.Timing;
import java.io.PrintWriter;
import java.nio.file.Files;
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

    @CommandLine.Mixin
    Verbosity.Mixin verbosity;

    @CommandLine.Parameters(
            arity = "1..*",
            paramLabel = "SCENARIO.yaml",
            description = "The scenario file; several make a suite, each its own run into <results>/<name>/.")
    List<Path> scenarioFiles;

    /** The one scenario of a single run. */
    Path scenarioFile;

    @CommandLine.Option(
            names = "--shard",
            paramLabel = "K/N",
            converter = ShardConverter.class,
            description = "Run only this machine's share K of N of the suite (its scenarios times --repeat rounds,"
                    + " sorted by name; unit i goes to shard i mod N + 1); vmcluster merge joins the N results.")
    io.vmcluster.suite.Shard shard;

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
            names = "--cold",
            description = "Boot the cluster even when the warm cache holds the scenario's formed cluster (a snapshot"
                    + " step with cache: true); the formed cluster is still cached when the cache has none"
                    + " (docs/snapshots.md).")
    boolean cold;

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

    @CommandLine.Option(
            names = "--keep-failed",
            description = "After the first failed test, leave the cluster up as it is (faults in effect) and return;"
                    + " vmcluster exec/fault/down reach it by --name. The rest of the tests are skipped.")
    boolean keepFailed;

    @CommandLine.Option(
            names = "--pause-on-failure",
            description = "When a test fails, freeze every VM at once and wait: vmcluster exec/fault reach them,"
                    + " 'vmcluster fault resume all' goes on with the next test, 'vmcluster down' ends the run.")
    boolean pauseOnFailure;

    @CommandLine.Option(
            names = "--name",
            paramLabel = "NAME",
            description = "With --keep-failed or --pause-on-failure: what exec, fault and down call the cluster"
                    + " (default: the scenario's name).")
    String name;

    @CommandLine.Option(names = "--supervise", hidden = true, description = "Be the run's supervisor (internal).")
    boolean supervise;

    @CommandLine.Option(
            names = "--repeat",
            paramLabel = "N",
            defaultValue = "1",
            description = "Run the scenario N times (boot to teardown each), round K with seed derived from the"
                    + " base seed (--seed, else chosen) and printed; every round runs; results in round-K/.")
    int repeat;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Boots the cluster: real VMs; tests hand in a stand-in to check the wiring without VMs. */
    ClusterLauncher launcher = RealCluster.LAUNCHER;

    /** Checks the host can boot at all (exit 3 otherwise); tests with a stand-in cluster skip it. */
    Runnable preflight = () -> HostPreflight.requireBootable(Timing.standard());

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        if (scenarioFiles.size() > 1 || shard != null) {
            return new SuiteRun(this).call();
        }
        scenarioFile = scenarioFiles.get(0);
        if (name != null && !keepFailed && !pauseOnFailure) {
            throw new InvalidInputException(
                    "--name names a cluster kept by --keep-failed or --pause-on-failure;" + " give one of them too");
        }
        Scenario scenario = withTimeout(ScenarioParser.parse(
                scenarioFile,
                params,
                ImageParamsLookup.standard(
                        ImageBuilder.standard(), ImageStore.standard().cacheDir())));
        NemesisOptions nemesis = nemesisOptions(scenario);
        if (repeat < 1 || repeat > 10_000) {
            throw new InvalidInputException("--repeat " + repeat + ": must be 1 to 10000");
        }
        if (repeat > 1 && (keepFailed || pauseOnFailure)) {
            throw new InvalidInputException("--repeat runs every round to its end: it does not go with"
                    + (keepFailed ? " --keep-failed" : " --pause-on-failure")
                    + " (repeat first, then run the failing seed with it)");
        }
        ScenarioImages.check(
                scenario, ImageBuilder.standard(), ImageStore.standard().cacheDir());
        // The results path is the user's input: blame it before anything slow (host checks, image builds).
        ResultsDirectory dir = createResults(
                results != null
                        ? new ResultsDirectory(results)
                        : ResultsDirectory.under(Path.of("results"), scenario.name(), LocalDateTime.now()));
        preflight.run();
        ensureImages(scenario, err);
        String liveName = null;
        if (keepFailed || pauseOnFailure) {
            liveName = LiveSource.checkName(name != null ? name : scenario.name());
            if (!supervise) {
                return startSupervisor(liveName, dir, out);
            }
            Detached.stopIfOrphaned(System.in, System.err);
        }

        if (repeat == 1) {
            Rounds rounds = new Rounds(accel, launcher, capturePackets).cold(cold);
            Inspection inspection = liveName == null ? null : new Inspection(liveName, dir, out);
            Rounds.Round r = rounds.runOnce(scenario, dir, nemesis, out, err, inspection);
            if (inspection != null && inspection.kept()) {
                return (r.report().passed() ? ExitCode.PASSED : ExitCode.TEST_FAILED).code();
            }
            printSeed(out, r, dir);
            if (r.result().bootFailure() != null) {
                throw bootFailure(r.result().bootFailure());
            }
            return (r.report().passed() ? ExitCode.PASSED : ExitCode.TEST_FAILED).code();
        }
        long base = nemesis.replay() != null
                ? nemesis.replay().seed()
                : nemesis.seed() != null ? nemesis.seed() : new java.security.SecureRandom().nextLong();
        out.println("Repeating " + scenario.name() + " " + repeat + " times"
                + (nemesis.replay() != null ? ", replaying the schedule of seed " + base : ", base seed " + base));
        out.flush();
        List<Rounds.Round> done = new ArrayList<>();
        // a scenario with a restart test (fresh: a snapshot an earlier test takes) boots once
        try (io.vmcluster.scenario.run.WarmRounds warm = io.vmcluster.scenario.run.WarmRounds.of(scenario)) {
            Rounds rounds = new Rounds(accel, launcher, capturePackets, warm).cold(cold);
            for (int i = 0; i < repeat; i++) {
                NemesisOptions round =
                        nemesis.replay() != null ? nemesis : NemesisOptions.seed(NemesisOptions.derive(base, i));
                out.println();
                out.println("Round " + (i + 1) + "/" + repeat
                        + (nemesis.replay() != null ? "" : ", seed " + round.seed()) + ", " + rounds.nextStart());
                out.flush();
                ResultsDirectory roundDir =
                        createResults(new ResultsDirectory(dir.root().resolve("round-" + (i + 1))));
                // the top-level report before and after every round: a kill mid-repeat keeps the
                // rounds that ended, and the one it stopped is a failure that says so
                String roundSeed = nemesis.replay() != null
                        ? Long.toString(nemesis.replay().seed())
                        : scenario.nemesisRuns() > 0 ? Long.toString(round.seed()) : null;
                writeRounds(scenario, dir, done, new Rounds.Running(i + 1, roundSeed, roundDir.root()));
                Rounds.Round r = rounds.runOnce(scenario, roundDir, round, out, err);
                printSeed(out, r, roundDir);
                done.add(r);
                writeRounds(scenario, dir, done, null);
                if (r.result().bootFailure() != null) {
                    throw bootFailure(r.result().bootFailure());
                }
            }
        }
        RunReport summary = Rounds.summary(scenario.name(), repeat, done, null);
        long passed = summary.count(io.vmcluster.report.Outcome.PASSED);
        List<String> failedSeeds = new ArrayList<>();
        for (int i = 0; i < done.size(); i++) {
            if (!done.get(i).report().passed())
                failedSeeds.add("round " + (i + 1) + " seed " + done.get(i).seed());
        }
        out.println();
        out.println("Rounds:  " + passed + " of " + repeat + " passed"
                + (failedSeeds.isEmpty() ? "" : "; failed: " + String.join(", ", failedSeeds)));
        out.println("Results: " + dir.root() + " (round-1/ ... round-" + repeat
                + "/, test-output.xml: one case per round)");
        out.flush();
        return (failedSeeds.isEmpty() ? ExitCode.PASSED : ExitCode.TEST_FAILED).code();
    }

    /** The repeat's test-output.xml: one case per round ended, then the running one, or null. */
    private void writeRounds(Scenario scenario, ResultsDirectory dir, List<Rounds.Round> done, Rounds.Running running) {
        JUnitXmlWriter.write(
                Rounds.summary(scenario.name(), repeat, done, running),
                dir.junitXml(),
                io.vmcluster.report.LogTails.none());
    }

    private void printSeed(PrintWriter out, Rounds.Round r, ResultsDirectory dir) {
        if (r.seed() != null) {
            out.println("Seed:    " + r.seed()
                    + (schedule != null
                            ? " (replayed " + schedule + ")"
                            : " (again: --seed " + r.seed() + "; this schedule exactly: --schedule "
                                    + dir.root().resolve(ScheduleJson.FILE) + ")"));
        }
        out.flush();
    }

    /**
     * Starts this run again as a detached supervisor (the same arguments, the results directory made
     * here, the name checked here) and relays its output until it ends or keeps its cluster.
     */
    private int startSupervisor(String liveName, ResultsDirectory dir, PrintWriter out) {
        io.vmcluster.live.LiveClusters.standard().find(liveName).ifPresent(c -> {
            throw new InvalidInputException("a cluster named '" + liveName + "' is already up (results " + c.results()
                    + "): give this run another --name, or stop that one with vmcluster down " + liveName);
        });
        java.util.List<String> args =
                new java.util.ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        if (results == null) {
            args.addAll(
                    java.util.List.of("--results", dir.root().toAbsolutePath().toString()));
        }
        if (name == null) {
            args.addAll(java.util.List.of("--name", liveName));
        }
        args.add("--supervise");
        return Detached.startAndRelay(Detached.selfCommand(args), Path.of("").toAbsolutePath(), out);
    }

    /** The supervisor's side of --keep-failed / --pause-on-failure: who opens the control socket, and when. */
    private final class Inspection implements Rounds.Inspect {
        private final String liveName;
        private final ResultsDirectory dir;
        private JsonLinesEventSink events;
        private RunLog log;
        private final PrintWriter out;
        private final long started = System.currentTimeMillis();
        private volatile InspectableCluster cluster;
        private Supervisor supervisor;

        Inspection(String liveName, ResultsDirectory dir, PrintWriter out) {
            this.liveName = liveName;
            this.dir = dir;
            this.out = out;
        }

        @Override
        public ClusterLauncher launcher(ClusterLauncher underneath, JsonLinesEventSink events, RunLog log) {
            this.events = events;
            this.log = log;
            return (scenario, options, sink, bootTimeout) -> {
                ClusterApi c = underneath.start(scenario, options, sink, bootTimeout);
                cluster = new InspectableCluster(c, keepFailed, pauseOnFailure, this::supervisor, sink, this::say);
                return cluster;
            };
        }

        private void say(java.util.List<String> lines) {
            lines.forEach(out::println);
            out.flush();
            log.write(lines);
        }

        private synchronized Supervisor supervisor() {
            if (supervisor == null) {
                ClusterApi c = cluster.delegate();
                Timing timing = Timing.standard();
                if (c instanceof RealCluster rc) {
                    supervisor =
                            Supervisor.open(liveName, scenarioFile, rc, events, timing, dir.root(), "running", started);
                } else {
                    try {
                        // a stand-in cluster (tests of the wiring): a directory of its own under the run base
                        Path d = java.nio.file.Files.createTempDirectory(
                                io.vmcluster.reaper.RunDirectories.base(), "standin-");
                        java.util.Map<String, String> states = new java.util.LinkedHashMap<>();
                        c.nodes().forEach(n -> states.put(n, "READY"));
                        supervisor = Supervisor.open(
                                liveName,
                                scenarioFile,
                                c,
                                () -> states,
                                d,
                                events,
                                timing,
                                dir.root(),
                                "running",
                                started);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
            return supervisor;
        }

        boolean kept() {
            return cluster != null && cluster.keptAfter() != null;
        }

        @Override
        public void afterRun(RunReport report, Runnable printReportLines) throws Exception {
            int exit = (report.passed() ? ExitCode.PASSED : ExitCode.TEST_FAILED).code();
            if (kept()) {
                printReportLines.run();
                serveKept(exit);
            } else {
                finished();
            }
        }

        /** The run kept its cluster: say so everywhere, hand the terminal back, serve until down. */
        void serveKept(int exit) throws Exception {
            Supervisor s = supervisor();
            String test = cluster.keptAfter();
            s.state("kept: test '" + test + "' failed");
            events.record(
                    io.vmcluster.events.EventKind.CLUSTER_KEPT,
                    null,
                    java.util.Map.of(
                            "name", liveName, "test", test, "socket", s.live().socket()));
            java.util.List<String> lines = s.nextStepLines("Test '" + test + "' failed: the cluster " + liveName
                    + " is kept as it was (faults in effect) until vmcluster down " + liveName + ".");
            say(lines);
            java.nio.file.Files.write(dir.root().resolve("kept.txt"), lines);
            Detached.handOff(exit, dir.root().resolve("supervisor.log"));
            s.awaitDown();
            s.state("stopping");
            try {
                cluster.release();
            } finally {
                java.nio.file.Files.writeString(
                        dir.root().resolve("kept.txt"),
                        "(down at " + java.time.Instant.now() + ")\n",
                        java.nio.file.StandardOpenOption.APPEND);
                s.stopped();
                s.close();
            }
        }

        /** The run ended without keeping its cluster: a waiting down gets its answer. */
        void finished() {
            if (supervisor != null) {
                supervisor.stopped();
                supervisor.close();
            }
        }
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
        return createResults(dir, results != null);
    }

    /** {@link #createResults(ResultsDirectory)} for any command: {@code fromOption} blames --results. */
    static ResultsDirectory createResults(ResultsDirectory dir, boolean fromOption) {
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
                    (fromOption ? "--results " : "results directory ") + dir.root() + ": " + reason);
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

    Scenario withTimeout(Scenario s) {
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
    static void ensureImages(Scenario scenario, PrintWriter err) {
        Path cache = ImageStore.standard().cacheDir();
        java.util.stream.Stream.concat(
                        scenario.cluster().spec().nodes().stream().map(n -> n.image()),
                        scenario.upgrades().stream().map(u -> u.image().name()))
                .filter(image -> image != null && !image.contains("/")) // a path is used as it is
                .distinct()
                .filter(image -> !Files.isRegularFile(cache.resolve(image).resolve("image.json")))
                .forEach(image -> {
                    err.println("image " + image + " is not built yet: building it now (first use only) ...");
                    err.flush();
                    ImageBuilder.standard().build(image, err);
                });
    }
}
