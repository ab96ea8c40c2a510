package io.vmcluster.cli;

import io.vmcluster.checker.CheckResults;
import io.vmcluster.checker.Checker;
import io.vmcluster.checker.Checkers;
import io.vmcluster.checker.FaultWindows;
import io.vmcluster.checker.Validity;
import io.vmcluster.checker.Verdict;
import io.vmcluster.events.Event;
import io.vmcluster.events.EventKind;
import io.vmcluster.events.EventsFile;
import io.vmcluster.history.EdnExport;
import io.vmcluster.history.History;
import io.vmcluster.history.HistoryFormatException;
import io.vmcluster.history.HistoryReader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * {@code vmcluster analyze HISTORY.jsonl --checker NAME...} and {@code vmcluster analyze
 * RESULTS_DIR}: re-checks stored histories offline with the same checkers a run uses. Exit 0 when
 * every verdict is valid, 1 when one is invalid or unknown (unknown is not a pass), 2 on bad input
 * (a history line that does not parse, an unknown checker).
 */
@CommandLine.Command(
        name = "analyze",
        mixinStandardHelpOptions = true,
        description = {
            "Checks a stored history (history.jsonl) with checkers, offline: the verdicts, with what was found,"
                    + " when, and during which fault.",
            "Given a results directory, checks every history its workload.start events name, with the checkers"
                    + " they recorded (or those given). Writes checks.json beside each history."
        })
public final class AnalyzeCommand implements Callable<Integer> {
    @CommandLine.Mixin
    Verbosity.Mixin verbosity;

    @CommandLine.Parameters(
            index = "0",
            paramLabel = "HISTORY.jsonl|RESULTS_DIR",
            description = "A history file, or a run's results directory.")
    Path path;

    @CommandLine.Option(
            names = {"-c", "--checker"},
            paramLabel = "NAME[:OPTION=VALUE,...]",
            description = "A checker to run (repeatable): set, linearizable, counter, unique-ids, queue, stats,"
                    + " single-leader-per-term, time-to-leader; e.g. set:linearizable=true,"
                    + " time-to-leader:slo=10s. Default: those the run recorded.")
    List<String> checkers = new ArrayList<>();

    @CommandLine.Option(
            names = "--events",
            paramLabel = "FILE",
            description = "The run's events.jsonl, for fault windows (default: events.jsonl beside the history).")
    Path events;

    @CommandLine.Option(
            names = "--json",
            paramLabel = "FILE",
            description = "Write the results here instead of checks.json beside the history (one history only).")
    Path json;

    @CommandLine.Option(names = "--edn", description = "Also export each history as Jepsen's history.edn beside it.")
    boolean edn;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One history to check and how. */
    private record Job(Path history, String name, Path events, List<String> specs) {}

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Checker> given = parseCheckers(checkers);
        List<Job> jobs = Files.isDirectory(path) ? jobsInDirectory() : List.of(jobForFile());
        if (json != null && jobs.size() > 1) {
            throw new InvalidInputException("--json takes one history; " + path + " has " + jobs.size());
        }
        List<Validity> all = new ArrayList<>();
        for (Job job : jobs) {
            List<Checker> use = given.isEmpty() ? parseCheckers(job.specs()) : given;
            if (use.isEmpty()) {
                throw new InvalidInputException(
                        "no checkers for " + job.history() + ": the run recorded none; name them"
                                + " with --checker, e.g. --checker set --checker stats (the checkers are "
                                + String.join(", ", Checkers.names()) + ")");
            }
            History h = read(job.history());
            FaultWindows faults = job.events() == null ? FaultWindows.none() : readFaults(job.events(), job.name());
            CheckResults r = CheckResults.run(job.name(), h, faults, use);
            print(out, job, h, faults, r);
            Path target = json != null ? json : CheckResults.fileBeside(job.history());
            r.write(target);
            out.println("  results: " + target);
            if (edn) {
                Path e = job.history().resolveSibling(ednName(job.history()));
                EdnExport.write(h, e);
                out.println("  edn: " + e);
            }
            all.add(r.validity());
        }
        out.flush();
        return Validity.merge(all).passed() ? ExitCode.PASSED.code() : ExitCode.TEST_FAILED.code();
    }

    private static String ednName(Path history) {
        return history.getFileName().toString().replaceFirst("\\.jsonl$", "") + ".edn";
    }

    private static List<Checker> parseCheckers(List<String> specs) {
        try {
            return Checkers.parseAll(specs);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage(), e);
        }
    }

    private Job jobForFile() {
        if (!Files.isRegularFile(path)) {
            throw new InvalidInputException("no history file or results directory at " + path);
        }
        Path ev = events != null ? events : path.toAbsolutePath().resolveSibling("events.jsonl");
        Path dir = ev.toAbsolutePath().getParent();
        String name = dir == null
                ? path.getFileName().toString()
                : dir.relativize(path.toAbsolutePath()).toString();
        List<String> recorded = new ArrayList<>();
        for (Event start : workloadStarts(ev)) {
            if (name.equals(text(start, "history"))) {
                recorded = specs(start);
            }
        }
        return new Job(path, name, Files.isRegularFile(ev) ? ev : null, recorded);
    }

    private List<Job> jobsInDirectory() {
        Path ev = events != null ? events : path.resolve("events.jsonl");
        Map<String, Job> jobs = new LinkedHashMap<>();
        for (Event start : workloadStarts(ev)) {
            String h = text(start, "history");
            if (h != null && !jobs.containsKey(h)) {
                jobs.put(h, new Job(path.resolve(h), h, ev, specs(start)));
            }
        }
        if (jobs.isEmpty() && Files.isRegularFile(path.resolve("history.jsonl"))) {
            jobs.put("history.jsonl", new Job(path.resolve("history.jsonl"), "history.jsonl", ev, List.of()));
        }
        if (jobs.isEmpty()) {
            throw new InvalidInputException(path + " holds no history: no " + EventKind.WORKLOAD_START.wireName()
                    + " event in its events.jsonl names one, and there is no history.jsonl");
        }
        return new ArrayList<>(jobs.values());
    }

    private static List<String> specs(Event start) {
        List<String> out = new ArrayList<>();
        if (start.fields().get("checkers") instanceof List<?> list) {
            list.forEach(x -> out.add(String.valueOf(x)));
        }
        return out;
    }

    private static List<Event> workloadStarts(Path events) {
        if (events == null || !Files.isRegularFile(events)) {
            return List.of();
        }
        return EventsFile.read(events).events().stream()
                .filter(e -> e.is(EventKind.WORKLOAD_START))
                .toList();
    }

    private static String text(Event e, String field) {
        Object v = e.fields().get(field);
        return v == null ? null : v.toString();
    }

    private static History read(Path history) {
        if (!Files.isRegularFile(history)) {
            throw new InvalidInputException("the history " + history + " does not exist");
        }
        try {
            return HistoryReader.read(history);
        } catch (HistoryFormatException e) {
            throw new InvalidInputException(e.getMessage(), e);
        }
    }

    private static FaultWindows readFaults(Path events, String name) {
        try {
            return FaultWindows.read(events, name);
        } catch (HistoryFormatException e) {
            throw new InvalidInputException(e.getMessage(), e);
        }
    }

    private void print(PrintWriter out, Job job, History h, FaultWindows faults, CheckResults r) {
        out.printf(
                "%s: %d operations, %d probe samples, %d fault windows%n",
                job.history(),
                h.operations().size(),
                h.probes().size(),
                faults.all().size());
        for (String note : r.notes()) {
            out.println("  note: " + note);
        }
        int width =
                r.verdicts().stream().mapToInt(v -> v.checker().length()).max().orElse(0);
        for (Verdict v : r.verdicts()) {
            out.printf(
                    "  %-" + width + "s  %-7s  %s%n",
                    v.checker(),
                    v.validity().wireName().toUpperCase(Locale.ROOT),
                    v.explanation());
        }
        out.println("  verdict: " + r.validity().wireName());
    }
}
