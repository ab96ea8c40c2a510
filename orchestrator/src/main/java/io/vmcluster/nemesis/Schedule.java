package io.vmcluster.nemesis;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A nemesis expanded: every fault with its nodes and times, drawn from {@code seed} before the
 * run. Applying it is {@link ScheduleRunner}'s job; replaying a run is applying its stored
 * schedule again ({@link ScheduleJson}).
 *
 * @param seed the seed it was drawn from
 * @param nodes the cluster's node names it was drawn for
 * @param length when the final heal undoes whatever is still open, from the nemesis's start
 * @param recovery quiet time after the final heal
 * @param faults the faults, by start time (then id)
 */
public record Schedule(long seed, List<String> nodes, Duration length, Duration recovery, List<ScheduledFault> faults) {
    private static final Comparator<ScheduledFault> ORDER =
            Comparator.comparing(ScheduledFault::at).thenComparingInt(ScheduledFault::id);

    public Schedule {
        nodes = List.copyOf(nodes);
        Objects.requireNonNull(length, "length");
        Objects.requireNonNull(recovery, "recovery");
        faults = faults.stream().sorted(ORDER).toList();
        for (ScheduledFault f : faults) {
            if (f.end().compareTo(length) > 0) {
                throw new IllegalArgumentException("fault " + f + " ends after the schedule's length " + length);
            }
        }
    }

    /** The same schedule with other faults (a shrink's candidate). */
    public Schedule withFaults(List<ScheduledFault> other) {
        return new Schedule(seed, nodes, length, recovery, other);
    }

    /** Every fault, one per line, for the console. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append("seed ")
                .append(seed)
                .append(", ")
                .append(faults.size())
                .append(" fault(s) over ")
                .append(io.vmcluster.time.Durations.format(length))
                .append(":\n");
        faults.forEach(f -> b.append("  ").append(f).append('\n'));
        return b.toString();
    }
}
