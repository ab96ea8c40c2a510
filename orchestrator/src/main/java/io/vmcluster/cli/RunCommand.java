package io.vmcluster.cli;

import io.vmcluster.cluster.NodeBootException;
import io.vmcluster.image.ImageStore;
import io.vmcluster.nemesis.Schedule;
import io.vmcluster.nemesis.ScheduleJson;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.report.JUnitXmlWriter;
import io.vmcluster.report.ResultsDirectory;
import io.vmcluster.report.RunReport;
import io.vmcluster.scenario.Scenario;
import io.vmcluster.scenario.ScenarioParser;
import io.vmcluster.scenario.Timeouts;
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
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        Scenario scenario = withTimeout(ScenarioParser.parse(
                scenarioFile,
                params,
                ImageParamsLookup.standard(
                        ImageBuilder.standard(), ImageStore.standard().cacheDir())));
        NemesisOptions nemesis = nemesisOptions(scenario);
        if (repeat < 1 || repeat > 10_000) {
            throw new InvalidInputException("--repeat " + repeat + ": must be 1 to 10000");
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

        Rounds rounds = new Rounds(accel, launcher, capturePackets);
        if (repeat == 1) {
            Rounds.Round r = rounds.runOnce(scenario, dir, nemesis, out, err);
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
        for (int i = 0; i < repeat; i++) {
            NemesisOptions round =
                    nemesis.replay() != null ? nemesis : NemesisOptions.seed(NemesisOptions.derive(base, i));
            out.println();
            out.println("Round " + (i + 1) + "/" + repeat + (nemesis.replay() != null ? "" : ", seed " + round.seed()));
            out.flush();
            ResultsDirectory roundDir =
                    createResults(new ResultsDirectory(dir.root().resolve("round-" + (i + 1))));
            Rounds.Round r = rounds.runOnce(scenario, roundDir, round, out, err);
            printSeed(out, r, roundDir);
            if (r.result().bootFailure() != null) {
                throw bootFailure(r.result().bootFailure());
            }
            done.add(r);
        }
        RunReport summary = Rounds.summary(scenario.name(), done);
        JUnitXmlWriter.write(summary, dir.junitXml(), io.vmcluster.report.LogTails.none());
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
}
