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
 */
public record ReportData(
        RunReport run,
        RunTimeline timeline,
        ResultsFiles files,
        Map<String, String> serialTails,
        List<String> problems,
        Instant generated) {
    public ReportData {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(timeline, "timeline");
        Objects.requireNonNull(files, "files");
        serialTails = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(serialTails));
        problems = List.copyOf(problems);
        Objects.requireNonNull(generated, "generated");
    }
}
