package io.vmcluster.scenario.run;

import io.vmcluster.nemesis.Schedule;

/**
 * What a run's {@code nemesis} steps draw their schedules from (docs/nemesis.md).
 *
 * @param seed the run's seed ({@code --seed}): it overrides every step's own {@code seed:}; null
 *     when none was given (the runner then chooses one, and a step's own {@code seed:} wins)
 * @param replay a stored schedule every nemesis step applies as it is instead of drawing one
 *     ({@code --schedule}), or null
 */
public record NemesisOptions(Long seed, Schedule replay) {
    /** Nothing given: seeds are chosen, schedules drawn. */
    public static final NemesisOptions NONE = new NemesisOptions(null, null);

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    public static NemesisOptions seed(long seed) {
        return new NemesisOptions(seed, null);
    }

    public static NemesisOptions replay(Schedule schedule) {
        return new NemesisOptions(null, schedule);
    }

    /**
     * The seed of the {@code k}-th (from 0) draw made from {@code seed}: {@code seed} itself for the
     * first, {@code seed + k·0x9E3779B97F4A7C15} (wrapping) after it. Used for the k-th nemesis step
     * a run executes and for the k-th round of {@code --repeat}.
     */
    public static long derive(long seed, int k) {
        return seed + k * GOLDEN;
    }
}
