package io.vmcluster.report;

import java.util.List;
import java.util.Objects;

/**
 * A shard whose results a merge went without ({@code vmcluster merge --allow-missing}): wholly
 * (no directory of it was merged) or partly (its directory stopped early). The merged suite did not
 * pass: these units did not run in it.
 *
 * @param shard the shard (1..N)
 * @param count N, the shard count of the split
 * @param units the units of the shard that are not in the merged directory, in plan order
 * @param reason why, for people: which directory was missing or stopped early
 * @param partly true when some of the shard's units are there (it stopped early)
 */
public record MissingShard(int shard, int count, List<String> units, String reason, boolean partly) {
    public MissingShard {
        units = List.copyOf(units);
        Objects.requireNonNull(reason, "reason");
    }

    /** "shard 2/3 (units: beta, delta): REASON", as messages and the page say it. */
    @Override
    public String toString() {
        return "shard " + shard + "/" + count + (partly ? " in part" : "") + " ("
                + (units.isEmpty() ? "no units" : "units: " + String.join(", ", units)) + "): " + reason;
    }
}
