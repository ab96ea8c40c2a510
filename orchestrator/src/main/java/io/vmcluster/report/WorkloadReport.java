package io.vmcluster.report;

import io.vmcluster.checker.FaultWindows;
import io.vmcluster.checker.Validity;
import io.vmcluster.checker.Verdict;
import io.vmcluster.events.EventKind;
import io.vmcluster.history.History;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One workload of a run as the report shows it, read from the results directory: its history (the
 * operations and probe samples), the checkers' verdicts kept beside it, and the fault windows on its
 * clock.
 *
 * @param name the workload's name ({@code workload} of its {@link EventKind#WORKLOAD_START} event)
 * @param history the history file, relative to the results directory
 * @param origin when the history's clock read 0 (the workload.start event's time)
 * @param clients how many client threads ran operations ({@code clients} of the event), or 0 when it
 *     did not say
 * @param ops the history; empty when the file is missing or unreadable ({@code problem} says why)
 * @param verdicts the checkers' verdicts from {@code checks.json}; empty when there is none
 * @param checked true when {@code checks.json} was there
 * @param faults the run's faults on this history's clock
 * @param notes what reading and checking noticed (an incomplete last line, a missing file)
 */
public record WorkloadReport(
        String name,
        String history,
        Instant origin,
        int clients,
        History ops,
        List<Verdict> verdicts,
        boolean checked,
        FaultWindows faults,
        List<String> notes) {
    public WorkloadReport {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(ops, "ops");
        Objects.requireNonNull(faults, "faults");
        verdicts = List.copyOf(verdicts);
        notes = List.copyOf(notes);
    }

    /** The checkers' merged verdict: invalid if one says so, else unknown if one does, else valid. */
    public Validity validity() {
        return Validity.merge(verdicts.stream().map(Verdict::validity).toList());
    }

    /** A run-clock instant for a time on this history's clock (nanoseconds since its start). */
    public Instant at(long historyNanos) {
        return origin.plusNanos(historyNanos);
    }
}
