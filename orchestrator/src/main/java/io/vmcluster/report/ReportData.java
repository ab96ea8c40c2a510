package io.vmcluster.report;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the report page shows, read from one results directory: the tests and steps
 * ({@link RunReport}), the run over time ({@link RunTimeline}), the files to link, the tail of each
 * node's serial log, and the lines of {@code events.jsonl} that could not be read.
 *
 * @param run tests, steps, outcome, duration
 * @param timeline node states, faults, marks
 * @param files what the results directory holds
 * @param serialTails per node, the last lines of its serial log
 * @param problems lines of events.jsonl that are not events
 * @param generated when the page was made
 * @param workloads the run's workloads: histories and verdicts (empty when the run had none)
 */
public record ReportData(
        RunReport run,
        RunTimeline timeline,
        ResultsFiles files,
        Map<String, String> serialTails,
        List<String> problems,
        Instant generated,
        List<WorkloadReport> workloads) {
    public ReportData {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(timeline, "timeline");
        Objects.requireNonNull(files, "files");
        serialTails = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(serialTails));
        problems = List.copyOf(problems);
        Objects.requireNonNull(generated, "generated");
        workloads = List.copyOf(workloads);
    }

    /** A run without workloads. */
    public ReportData(
            RunReport run,
            RunTimeline timeline,
            ResultsFiles files,
            Map<String, String> serialTails,
            List<String> problems,
            Instant generated) {
        this(run, timeline, files, serialTails, problems, generated, List.of());
    }
}
