package io.vmcluster.suite;

import java.util.Objects;

/**
 * What a suite hands to one machine at a time: one scenario run, boot to teardown (its tests share
 * the cluster in order, so they are never split), or one round of it under {@code --repeat}.
 *
 * @param scenario the scenario's name (unique in the suite)
 * @param round which round, 1 to {@code rounds}
 * @param rounds how many rounds each scenario runs ({@code --repeat}, 1 without it)
 */
public record SuiteUnit(String scenario, int round, int rounds) {
    public SuiteUnit {
        Objects.requireNonNull(scenario, "scenario");
        if (rounds < 1 || round < 1 || round > rounds) {
            throw new IllegalArgumentException("round " + round + " of " + rounds);
        }
    }

    /**
     * The unit's name and its directory in the suite's results, relative: {@code NAME} or, with
     * rounds, {@code NAME/round-K}.
     */
    public String id() {
        String dir = SuitePlan.dirName(scenario);
        return rounds == 1 ? dir : dir + "/round-" + round;
    }

    @Override
    public String toString() {
        return id();
    }
}
