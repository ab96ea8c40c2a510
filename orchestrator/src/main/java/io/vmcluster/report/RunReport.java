package io.vmcluster.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a run amounted to, assembled from its events by {@link RunRecorder}.
 *
 * @param scenario the scenario's name (the JUnit suite name)
 * @param started when the run began
 * @param duration how long it took
 * @param subtests every subtest, in the order they started
 * @param summaries output the scenario marked for the summary
 * @param nodes the cluster's nodes, in order (empty when the run never said)
 */
public record RunReport(
        String scenario,
        Instant started,
        Duration duration,
        List<SubtestReport> subtests,
        List<Summary> summaries,
        List<String> nodes) {
    public RunReport {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(started, "started");
        duration = duration == null ? Duration.ZERO : duration;
        subtests = List.copyOf(subtests);
        summaries = List.copyOf(summaries);
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }

    /** A report without a node list. */
    public RunReport(
            String scenario,
            Instant started,
            Duration duration,
            List<SubtestReport> subtests,
            List<Summary> summaries) {
        this(scenario, started, duration, subtests, summaries, List.of());
    }

    /** Count of subtests with the given outcome. */
    public long count(Outcome outcome) {
        return subtests.stream().filter(s -> s.outcome() == outcome).count();
    }

    /** True when nothing failed and at least one subtest ran. */
    public boolean passed() {
        return count(Outcome.FAILED) == 0 && !subtests.isEmpty();
    }

    /**
     * A block of output kept for the end of the run, e.g. one node's view of the job list.
     *
     * @param node the node it came from, or null
     * @param title what it is
     * @param text the output
     */
    public record Summary(String node, String title, String text) {}
}
