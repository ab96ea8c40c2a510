package io.vmcluster.cli;

import io.vmcluster.events.EventKind;
import io.vmcluster.events.JsonLinesEventSink;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.report.ConsoleReporter;
import io.vmcluster.report.HtmlReport;
import io.vmcluster.report.JUnitXmlWriter;
import io.vmcluster.report.Outcome;
import io.vmcluster.report.ResultsDirectory;
import io.vmcluster.report.RunLog;
import io.vmcluster.report.RunRecorder;
import io.vmcluster.report.RunReport;
import io.vmcluster.report.Style;
import io.vmcluster.report.SubtestReport;
import io.vmcluster.scenario.Scenario;
import io.vmcluster.scenario.ScenarioRunner;
import io.vmcluster.scenario.run.ClusterLauncher;
import io.vmcluster.scenario.run.NemesisOptions;
import io.vmcluster.scenario.run.RunOptions;
import io.vmcluster.scenario.run.RunResult;
import io.vmcluster.time.Timing;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run of a scenario into one results directory, as {@code run} does it (console, run.log,
 * events.jsonl, test-output.xml, report.html, a report written even on a kill); {@code run
 * --repeat} and {@code shrink} make several.
 */
final class Rounds {
    private static final String ON_EXIT = "vmcluster-report-on-exit";

    private final Accelerator accel;
    private final ClusterLauncher launcher;
    private final boolean capturePackets;
    private final io.vmcluster.scenario.run.WarmRounds warm;
    private boolean cold;

    Rounds(Accelerator accel, ClusterLauncher launcher, boolean capturePackets) {
        this(accel, launcher, capturePackets, null);
    }

    /** @param warm keeps the cluster between runs and restores its snapshot instead of booting, or null */
    Rounds(
            Accelerator accel,
            ClusterLauncher launcher,
            boolean capturePackets,
            io.vmcluster.scenario.run.WarmRounds warm) {
        this.accel = accel;
        this.launcher = launcher;
        this.capturePackets = capturePackets;
        this.warm = warm;
    }

    /** Boot even when the warm cache has the scenario's formed cluster ({@code run --cold}). */
    Rounds cold(boolean value) {
        this.cold = value;
        return this;
    }

    /** What the next run starts from: a restore of the kept cluster's snapshot, or a boot. */
    String nextStart() {
        return warm != null && warm.warm()
                ? "restoring snapshot '" + warm.snapshot() + "' of the kept cluster instead of booting"
                : "booting";
    }

    /**
     * What one run gave.
     *
     * @param seed the run's seed as {@code run.start} recorded it, or null (no nemesis)
     */
    record Round(RunResult result, RunReport report, String seed, Path dir) {
        /** The names of the tests that failed, in order. */
        List<String> failedTests() {
            return report.subtests().stream()
                    .filter(t -> t.outcome() == Outcome.FAILED)
                    .map(SubtestReport::name)
                    .toList();
        }
    }

    /**
     * What {@code run --keep-failed} / {@code --pause-on-failure} add to a run: the cluster the
     * launcher boots is wrapped, and the finished run (its events and log still open) is handed over.
     */
    interface Inspect {
        ClusterLauncher launcher(ClusterLauncher underneath, JsonLinesEventSink events, RunLog log);

        /** After the summary; a kept cluster is served here until down ({@code printReportLines} first). */
        void afterRun(RunReport report, Runnable printReportLines) throws Exception;
    }

    /**
     * One run. A warm run (restoring the kept cluster's snapshot) whose restore itself failed is not
     * an answer about the system: its directory is moved aside ({@code DIR-restore-failed}) and the
     * run is made again from a boot.
     */
    Round runOnce(Scenario scenario, ResultsDirectory dir, NemesisOptions nemesis, PrintWriter out, PrintWriter err) {
        Round r = runOnce(scenario, dir, nemesis, out, err, null);
        if (warm == null || !warm.lastRoundWasWarm() || !warm.restoreFailedLastRound()) return r;
        Path aside = dir.root().resolveSibling(dir.root().getFileName() + "-restore-failed");
        try {
            java.nio.file.Files.move(dir.root(), aside);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("moving " + dir.root() + " aside failed", e);
        }
        out.println("The restore of snapshot '" + warm.snapshot() + "' failed (" + aside
                + "): running this again from a boot");
        out.flush();
        return runOnce(scenario, RunCommand.createResults(dir, false), nemesis, out, err, null);
    }

    /** One run; {@code inspect} (or null) may keep or pause its cluster. */
    Round runOnce(
            Scenario scenario,
            ResultsDirectory dir,
            NemesisOptions nemesis,
            PrintWriter out,
            PrintWriter err,
            Inspect inspect) {
        RunRecorder recorder = new RunRecorder(scenario.name());
        ConsoleReporter console = new ConsoleReporter(out, Style.detect());
        AtomicBoolean reported = new AtomicBoolean();
        Thread onKill = new Thread(() -> writeReport(recorder, dir, reported), ON_EXIT);
        Runtime.getRuntime().addShutdownHook(onKill);
        RunReport report;
        RunResult result;
        AtomicReference<String> runSeed = new AtomicReference<>();
        try (JsonLinesEventSink events = JsonLinesEventSink.open(dir.events());
                RunLog log = RunLog.open(dir.runLog())) {
            events.addListener(recorder).addListener(console).addListener(log).addListener(e -> {
                if (e.is(EventKind.RUN_START) && e.fields().get("seed") != null) {
                    runSeed.set(String.valueOf(e.fields().get("seed")));
                }
            });
            ClusterLauncher l = inspect == null ? launcher : inspect.launcher(launcher, events, log);
            RunOptions options = new RunOptions(
                            dir.root().toAbsolutePath(), accel, l, Timing.standard(), capturePackets)
                    .withNemesis(nemesis)
                    .withWarm(warm)
                    .withCold(cold);
            result = ScenarioRunner.run(scenario, options, events);
            report = writeReport(recorder, dir, reported);
            var lines = new io.vmcluster.report.ConsoleFormat(Style.PLAIN).summary(report);
            log.write(lines);
            console.summary(report);
            if (inspect != null) {
                try {
                    inspect.afterRun(report, () -> {
                        out.println("Report:  " + writePage(dir, err));
                        out.println("Results: " + dir.root());
                        out.flush();
                    });
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException("keeping the cluster failed: " + e.getMessage(), e);
                }
            }
        } finally {
            removeHook(onKill);
        }
        out.println("Report:  " + writePage(dir, err));
        out.println("Results: " + dir.root());
        out.flush();
        return new Round(result, report, runSeed.get(), dir.root());
    }

    /**
     * A round that has started and not ended: in the repeat's JUnit report as a failure until it
     * ends, so a repeat killed mid-round leaves a top-level report that says so.
     *
     * @param seed the seed it draws from, or null (no nemesis)
     */
    record Running(int number, String seed, Path dir) {}

    /**
     * The JUnit report of {@code repeat} rounds: one case per round ended, named by its number and
     * seed, then the running one (or null) as a failure "did not finish".
     */
    static RunReport summary(String scenario, int repeat, List<Round> rounds, Running running) {
        List<SubtestReport> cases = new java.util.ArrayList<>();
        Duration total = Duration.ZERO;
        for (int i = 0; i < rounds.size(); i++) {
            Round r = rounds.get(i);
            boolean passed = r.report().passed();
            String message = passed
                    ? ""
                    : "failed: " + String.join(", ", r.failedTests())
                            + (r.result().error() == null
                                    ? ""
                                    : "; " + r.result().error());
            cases.add(new SubtestReport(
                    name(i + 1, r.seed()),
                    passed ? Outcome.PASSED : Outcome.FAILED,
                    r.report().duration(),
                    message,
                    "results: " + r.dir(),
                    r.report().started(),
                    List.of()));
            total = total.plus(r.report().duration());
        }
        java.time.Instant started = rounds.isEmpty()
                ? java.time.Instant.now()
                : rounds.get(0).report().started();
        if (running != null) {
            cases.add(new SubtestReport(
                    name(running.number(), running.seed()),
                    Outcome.FAILED,
                    Duration.ZERO,
                    "did not finish: the repeat was stopped during this round (or is still running it);"
                            + " what it recorded is in " + running.dir(),
                    "results: " + running.dir(),
                    java.time.Instant.now(),
                    List.of()));
        }
        return new RunReport(scenario + " (repeat " + repeat + ")", started, total, cases, List.of());
    }

    private static String name(int round, String seed) {
        return "round " + round + (seed == null ? "" : " (seed " + seed + ")");
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
