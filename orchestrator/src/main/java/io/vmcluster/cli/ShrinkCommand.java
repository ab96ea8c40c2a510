package io.vmcluster.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vmcluster.events.Event;
import io.vmcluster.events.EventKind;
import io.vmcluster.events.EventsFile;
import io.vmcluster.nemesis.Schedule;
import io.vmcluster.nemesis.ScheduleJson;
import io.vmcluster.nemesis.ScheduledFault;
import io.vmcluster.nemesis.Shrinker;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.report.ResultsDirectory;
import io.vmcluster.scenario.Scenario;
import io.vmcluster.scenario.ScenarioParser;
import io.vmcluster.scenario.run.ClusterLauncher;
import io.vmcluster.scenario.run.NemesisOptions;
import io.vmcluster.scenario.run.RealCluster;
import io.vmcluster.time.Durations;
import io.vmcluster.time.Timing;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * {@code vmcluster shrink RESULTS_DIR}: re-runs the failed run's scenario with reduced copies of
 * its {@code schedule.json} ({@link Shrinker}: no faults, delta debugging over the faults, halved
 * durations) until it has a smallest one that still fails the same way — the same test failing
 * at the same step — and writes it to {@code shrink/schedule.json}; each try is a whole run in
 * {@code shrink/try-K/}. Exit 0 when the shrink ran (whatever it found), 2 on bad input (not a
 * failed run with a schedule), 3/4 as {@code run} when a try's cluster does not boot.
 */
@CommandLine.Command(
        name = "shrink",
        mixinStandardHelpOptions = true,
        description = "Re-runs a failed run's scenario with fewer and shorter faults of its schedule.json until"
                + " the smallest schedule that still fails the same test at the same step; writes it to"
                + " RESULTS_DIR/shrink/schedule.json.")
public final class ShrinkCommand implements Callable<Integer> {
    @CommandLine.Mixin
    Verbosity.Mixin verbosity;

    @CommandLine.Parameters(
            index = "0",
            paramLabel = "RESULTS_DIR",
            description = "The failed run's results directory.")
    Path dir;

    @CommandLine.Option(
            names = "--budget",
            paramLabel = "RUNS|DURATION",
            defaultValue = "20",
            description = "At most this many runs (a number), or no new run after this long (e.g. 2h)"
                    + " (default: ${DEFAULT-VALUE} runs).")
    String budget;

    @CommandLine.Option(
            names = "--accel",
            defaultValue = "auto",
            paramLabel = "auto|kvm|tcg",
            description = "How guests run, as for run (default: ${DEFAULT-VALUE}).")
    Accelerator accel;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Boots the clusters: real VMs; tests hand in a stand-in. */
    ClusterLauncher launcher = RealCluster.LAUNCHER;

    /** Checks the host can boot at all; tests with a stand-in skip it. */
    Runnable preflight = () -> HostPreflight.requireBootable(Timing.standard());

    /** The failure to keep: this test fails at this step ({@code file:line:col}). */
    record Failure(String test, String at) {
        @Override
        public String toString() {
            return "test '" + test + "' failing at " + at;
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ResultsDirectory results = new ResultsDirectory(dir);
        int maxRuns = Integer.MAX_VALUE;
        Duration maxTime = null;
        if (budget.matches("\\d+")) {
            maxRuns = Integer.parseInt(budget);
            if (maxRuns < 1) throw new InvalidInputException("--budget " + budget + ": at least 1 run");
        } else {
            try {
                maxTime = Durations.parse(budget);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("--budget " + budget + ": a number of runs (20) or a duration (2h)");
            }
        }
        if (!Files.isRegularFile(results.events())) {
            throw new InvalidInputException(dir + ": not a results directory: it has no events.jsonl");
        }
        Path scheduleFile = dir.resolve(ScheduleJson.FILE);
        if (!Files.isRegularFile(scheduleFile)) {
            throw new InvalidInputException(
                    dir + ": has no " + ScheduleJson.FILE + " (only a run with a nemesis step can be shrunk)");
        }
        Schedule original;
        try {
            original = ScheduleJson.read(scheduleFile);
        } catch (io.vmcluster.nemesis.InvalidScheduleException e) {
            throw new InvalidInputException(e.getMessage());
        }
        List<Event> events = EventsFile.read(results.events()).events();
        Event start = events.stream()
                .filter(e -> e.is(EventKind.RUN_START))
                .findFirst()
                .orElseThrow(() -> new InvalidInputException(results.events() + ": no run.start event"));
        Failure failure = failure(events);
        if (failure == null) {
            throw new InvalidInputException(
                    dir + ": no test failed at a step in this run: there is no failure to keep");
        }
        Path scenarioFile = Path.of(String.valueOf(start.fields().get("file")));
        if (!Files.isRegularFile(scenarioFile)) {
            throw new InvalidInputException("the run's scenario " + scenarioFile
                    + " (from run.start) is not there (run the shrink from where the run was started)");
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (start.fields().get("params") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> params.put(String.valueOf(k), String.valueOf(v)));
        }
        Scenario scenario = ScenarioParser.parse(scenarioFile, params);
        if (scenario.nemesisRuns() != 1) {
            throw new InvalidInputException(scenarioFile + " runs " + scenario.nemesisRuns()
                    + " nemesis steps; a shrink replays one schedule at exactly one");
        }
        if (!original.nodes().equals(scenario.cluster().nodes())) {
            throw new InvalidInputException(scheduleFile + ": drawn for nodes " + original.nodes()
                    + ", but the scenario's cluster has " + scenario.cluster().nodes());
        }
        preflight.run();

        Path shrinkDir = dir.resolve("shrink");
        Files.createDirectories(shrinkDir);
        // a scenario with a restart test (fresh: a snapshot an earlier test takes) boots once
        io.vmcluster.scenario.run.WarmRounds warm = io.vmcluster.scenario.run.WarmRounds.of(scenario);
        Rounds rounds = new Rounds(accel, launcher, false, warm);
        out.println("Shrinking " + original.faults().size() + " fault(s) of seed " + original.seed() + ", keeping "
                + failure);
        out.flush();
        int[] tries = {0};
        List<Map<String, Object>> log = new ArrayList<>();
        Shrinker.Oracle oracle = candidate -> {
            int k = ++tries[0];
            ResultsDirectory tryDir =
                    RunCommand.createResults(new ResultsDirectory(shrinkDir.resolve("try-" + k)), false);
            out.println();
            out.println("Try " + k + ": " + candidate.faults().size() + " fault(s), "
                    + Durations.format(Shrinker.faultTime(candidate)) + " of faults, " + rounds.nextStart());
            out.flush();
            boolean restored = warm != null && warm.warm();
            long tryStart = System.nanoTime();
            Rounds.Round r = rounds.runOnce(scenario, tryDir, NemesisOptions.replay(candidate), out, err);
            long tryMs = (System.nanoTime() - tryStart) / 1_000_000;
            if (r.result().bootFailure() != null) {
                throw RunCommand.bootFailure(r.result().bootFailure());
            }
            Failure f = failure(EventsFile.read(tryDir.events()).events());
            boolean same = failure.equals(f);
            out.println("Try " + k + ": "
                    + (same ? "still fails (" + failure + ")" : f == null ? "passes" : "fails otherwise (" + f + ")"));
            out.flush();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("try", k);
            entry.put("dir", "try-" + k);
            entry.put(
                    "faults",
                    candidate.faults().stream().map(ScheduledFault::id).toList());
            entry.put("faultMs", Shrinker.faultTime(candidate).toMillis());
            entry.put("stillFails", same);
            entry.put("start", restored ? "restore" : "boot");
            entry.put("ms", tryMs);
            log.add(entry);
            return same;
        };
        long t0 = System.nanoTime();
        Shrinker.Result result;
        try {
            result = new Shrinker(oracle, maxRuns, maxTime, System::nanoTime).shrink(original);
        } finally {
            if (warm != null) warm.close();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        Path minimal = shrinkDir.resolve(ScheduleJson.FILE);
        ScheduleJson.write(result.schedule(), minimal);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("failure", Map.of("test", failure.test(), "at", failure.at()));
        summary.put("runs", result.runs());
        summary.put("ms", took.toMillis());
        summary.put("exhausted", result.exhausted());
        summary.put("faultsBefore", original.faults().size());
        summary.put("faultsAfter", result.schedule().faults().size());
        summary.put("faultMsBefore", Shrinker.faultTime(original).toMillis());
        summary.put("faultMsAfter", Shrinker.faultTime(result.schedule()).toMillis());
        summary.put("tries", log);
        try {
            Files.writeString(
                    shrinkDir.resolve("shrink.json"),
                    new ObjectMapper()
                                    .enable(SerializationFeature.INDENT_OUTPUT)
                                    .writeValueAsString(summary) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println();
        out.println(
                "Shrunk " + original.faults().size() + " fault(s) (" + Durations.format(Shrinker.faultTime(original))
                        + ") to " + result.schedule().faults().size() + " ("
                        + Durations.format(Shrinker.faultTime(result.schedule()))
                        + ") in " + result.runs() + " run(s), " + Durations.format(took)
                        + (result.exhausted() ? " (the budget ran out: the smallest failure found so far)" : ""));
        out.print(result.schedule().describe());
        out.println(
                "Schedule: " + minimal + " (replay: vmcluster run " + scenarioFile + " --schedule " + minimal + ")");
        out.flush();
        return ExitCode.PASSED.code();
    }

    /** The first failed test of a run and the step it failed at, from its events; null if none failed at a step. */
    static Failure failure(List<Event> events) {
        Map<String, String> failedAt = new LinkedHashMap<>();
        for (Event e : events) {
            if (e.is(EventKind.STEP_END) && Boolean.FALSE.equals(e.fields().get("ok"))) {
                failedAt.putIfAbsent(
                        String.valueOf(e.fields().get("test")),
                        String.valueOf(e.fields().get("at")));
            }
        }
        for (Event e : events) {
            if (e.is(EventKind.TEST_END) && "FAILED".equals(e.fields().get("status"))) {
                String test = String.valueOf(e.fields().get("test"));
                if (failedAt.containsKey(test)) return new Failure(test, failedAt.get(test));
            }
        }
        return null;
    }
}
