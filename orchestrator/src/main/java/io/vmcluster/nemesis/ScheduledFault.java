package io.vmcluster.nemesis;

import io.vmcluster.fault.FaultSpec;
import io.vmcluster.time.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * One entry of a schedule: a fault with its nodes chosen, when it starts (from the start of the
 * nemesis) and how long it stays.
 *
 * @param id its number in the generated schedule (kept when a shrink drops others, so a reduced
 *     schedule can be read against the original)
 * @param at when it starts, from the nemesis's start
 * @param duration how long until it is undone; zero for an instant fault
 * @param fault the fault
 */
public record ScheduledFault(int id, Duration at, Duration duration, FaultSpec<ScheduledNodes> fault) {
    public ScheduledFault {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(fault, "fault");
        if (at.isNegative() || duration.isNegative()) {
            throw new IllegalArgumentException("fault " + id + ": start and duration must not be negative");
        }
        if (fault.instant() && !duration.isZero()) {
            throw new IllegalArgumentException("fault " + id + " (" + fault + ") is instant; its duration must be 0");
        }
    }

    /** When it is undone. */
    public Duration end() {
        return at.plus(duration);
    }

    public ScheduledFault withDuration(Duration d) {
        return new ScheduledFault(id, at, d, fault);
    }

    @Override
    public String toString() {
        return "#" + id + " at " + Durations.format(at) + (fault.instant() ? "" : " for " + Durations.format(duration))
                + ": " + fault;
    }
}
