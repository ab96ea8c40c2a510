package io.vmcluster.nemesis;

import io.vmcluster.fault.FaultSpec;
import java.util.Objects;

/**
 * One kind of fault a nemesis may inject: the fault API's own value over {@link NodeChoice}s,
 * how likely it is relative to the others, and optionally its own duration bounds.
 *
 * @param fault the fault, its nodes still to be chosen
 * @param weight relative likelihood (at least 1)
 * @param duration how long it lasts, or null for the nemesis's default; ignored for instant
 *     faults (reset, kill a process)
 */
public record FaultChoice(FaultSpec<NodeChoice> fault, int weight, Bounds duration) {
    public FaultChoice {
        Objects.requireNonNull(fault, "fault");
        if (weight < 1) {
            throw new IllegalArgumentException("a fault's weight must be at least 1, got " + weight);
        }
    }

    /** Weight 1, the nemesis's default duration. */
    public static FaultChoice of(FaultSpec<NodeChoice> fault) {
        return new FaultChoice(fault, 1, null);
    }

    public FaultChoice withWeight(int w) {
        return new FaultChoice(fault, w, duration);
    }

    public FaultChoice lasting(Bounds d) {
        return new FaultChoice(fault, weight, d);
    }
}
