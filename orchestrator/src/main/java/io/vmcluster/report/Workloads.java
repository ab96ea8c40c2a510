package io.vmcluster.report;

import io.vmcluster.checker.CheckResults;
import io.vmcluster.checker.FaultWindows;
import io.vmcluster.events.Event;
import io.vmcluster.events.EventKind;
import io.vmcluster.history.History;
import io.vmcluster.history.HistoryReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds a run's workloads in its results directory: one per {@link EventKind#WORKLOAD_START} event
 * (the history it names, {@code checks.json} beside it). A missing or broken file is a note on the
 * workload, never a failure of the page.
 */
public final class Workloads {
    private Workloads() {}

    /** The workloads the events name, in the order they started. */
    public static List<WorkloadReport> read(ResultsDirectory dir, List<Event> events) {
        List<WorkloadReport> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Event e : events) {
            if (!e.is(EventKind.WORKLOAD_START)) continue;
            String history = text(e, "history");
            if (history == null || !seen.add(history)) continue;
            out.add(one(dir, events, e, history));
        }
        return out;
    }

    private static WorkloadReport one(ResultsDirectory dir, List<Event> events, Event start, String history) {
        String name = text(start, "workload");
        name = name == null ? history : name;
        int clients = start.fields().get("clients") instanceof Number n ? n.intValue() : 0;
        List<String> notes = new ArrayList<>();
        Path file = dir.root().resolve(history);
        History h = History.empty();
        if (!Files.isRegularFile(file)) {
            notes.add("the history " + history + " is not in the results directory");
        } else {
            try {
                h = HistoryReader.read(file);
                notes.addAll(h.warnings());
            } catch (RuntimeException ex) {
                notes.add("the history " + history + " cannot be read: " + ex.getMessage());
            }
        }
        Path checks = CheckResults.fileBeside(file);
        List<io.vmcluster.checker.Verdict> verdicts = List.of();
        boolean checked = false;
        if (Files.isRegularFile(checks)) {
            try {
                CheckResults.Stored stored = CheckResults.readStored(checks);
                verdicts = stored.verdicts();
                notes.addAll(stored.notes());
                checked = true;
            } catch (RuntimeException ex) {
                notes.add(ex.getMessage());
            }
        } else if (!h.isEmpty()) {
            notes.add("no checker verdicts: " + dir.root().relativize(checks)
                    + " is missing (vmcluster analyze DIR writes it)");
        }
        FaultWindows faults = FaultWindows.fromEvents(events, history, "events.jsonl");
        return new WorkloadReport(name, history, start.time(), clients, h, verdicts, checked, faults, notes);
    }

    private static String text(Event e, String field) {
        Object v = e.fields().get(field);
        return v == null ? null : v.toString();
    }
}
