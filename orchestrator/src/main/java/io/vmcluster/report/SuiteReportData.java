package io.vmcluster.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the page of a suite's results shows (several scenario runs, from one machine or merged from
 * several): each unit's run as its own results directory recorded it, and where it ran.
 *
 * @param title what the suite is (its scenarios)
 * @param shardCount how many shards the suite was split into
 * @param units every unit of the plan, in plan order; {@link UnitRun#run()} null when its
 *     directory is not here
 * @param missing the shards a merge went without ({@code --allow-missing}); their units are
 *     missing, not merely "not here"
 * @param generated when the page was made
 */
public record SuiteReportData(
        String title, int shardCount, List<UnitRun> units, List<MissingShard> missing, Instant generated) {
    public SuiteReportData {
        Objects.requireNonNull(title, "title");
        units = List.copyOf(units);
        missing = List.copyOf(missing);
        Objects.requireNonNull(generated, "generated");
    }

    /**
     * One unit.
     *
     * @param id its id and directory ({@code NAME} or {@code NAME/round-K})
     * @param scenario the scenario's name
     * @param round its round
     * @param shard the shard that runs it
     * @param host the machine that ran it, or empty
     * @param file its scenario file, or empty
     * @param seed its nemesis seed, or null
     * @param run its tests as its events record them, or null when it did not run here
     */
    public record UnitRun(
            String id, String scenario, int round, int shard, String host, String file, String seed, RunReport run) {
        /** Passed: ran, and every test passed. */
        public boolean passed() {
            return run != null && run.passed();
        }

        /** When it ended, or null. */
        public Instant ended() {
            return run == null ? null : run.started().plus(run.duration());
        }
    }

    /** True when every unit ran and passed (none missing). */
    public boolean passed() {
        return missing.isEmpty() && !units.isEmpty() && units.stream().allMatch(UnitRun::passed);
    }

    /** The missing shard {@code unit} belongs to, or null when it is not missing. */
    public MissingShard missingOf(UnitRun unit) {
        if (unit.run() != null) return null;
        return missing.stream()
                .filter(m -> m.units().contains(unit.id()))
                .findFirst()
                .orElse(null);
    }

    /** The units that ran here. */
    public List<UnitRun> ran() {
        return units.stream().filter(u -> u.run() != null).toList();
    }

    /** Count of tests with {@code outcome} over every unit that ran. */
    public long count(Outcome outcome) {
        return ran().stream().mapToLong(u -> u.run().count(outcome)).sum();
    }

    /** The sum of the units' durations: the machine time the suite took. */
    public Duration machineTime() {
        return ran().stream().map(u -> u.run().duration()).reduce(Duration.ZERO, Duration::plus);
    }

    /** From the first unit's start to the last one's end (zero when none ran). */
    public Duration wallTime() {
        return ran().isEmpty() ? Duration.ZERO : Duration.between(start(), end());
    }

    /** The first start, or null. */
    public Instant start() {
        return ran().stream()
                .map(u -> u.run().started())
                .min(Instant::compareTo)
                .orElse(null);
    }

    /** The last end, or null. */
    public Instant end() {
        return ran().stream().map(UnitRun::ended).max(Instant::compareTo).orElse(null);
    }
}
