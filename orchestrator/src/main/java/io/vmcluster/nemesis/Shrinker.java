package io.vmcluster.nemesis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Reduces a failing schedule to a smaller one that still fails (docs/nemesis.md, "Shrink"):
 * deterministic, so the same schedule and the same answers give the same runs in the same order.
 *
 * <ol>
 *   <li>The schedule with no faults at all (a failure without faults is not the nemesis's).
 *   <li>Delta debugging over the faults (Zeller's ddmin): split the list into n parts, in
 *       schedule order; try each part alone, then each complement; keep the first that fails
 *       (n back to 2 after a part, n-1 after a complement); when none fails, double n, until n is
 *       the number of faults. The result is 1-minimal: dropping any one fault passes.
 *   <li>Shorter faults: for each fault left with a duration, in order, halve the duration while
 *       that still fails and the half is at least {@link #MIN_DURATION}.
 * </ol>
 *
 * Every fault keeps its id and its start; a candidate already answered is not run again. The
 * oracle is asked at most {@code maxRuns} times and no more once {@code maxTime} has passed; the
 * smallest failing schedule found by then is the result.
 */
public final class Shrinker {
    /** Durations are not halved below this. */
    public static final Duration MIN_DURATION = Duration.ofMillis(500);

    /** Does this schedule still fail the same way? One real run per question. */
    @FunctionalInterface
    public interface Oracle {
        boolean stillFails(Schedule candidate) throws InterruptedException;
    }

    /**
     * What the shrink found.
     *
     * @param schedule the smallest schedule seen to fail (the input when nothing smaller failed)
     * @param runs how many times the oracle was asked
     * @param exhausted true when the budget stopped it before the end of the algorithm
     * @param tried every candidate asked about, in order, with its answer
     */
    public record Result(Schedule schedule, int runs, boolean exhausted, List<Try> tried) {
        public Result {
            tried = List.copyOf(tried);
        }
    }

    /** One question: the candidate's faults (by id, with durations) and whether it failed. */
    public record Try(Schedule candidate, boolean failed) {}

    private static final class Exhausted extends Exception {
        Exhausted() {
            super(null, null, false, false);
        }
    }

    private final Oracle oracle;
    private final int maxRuns;
    private final Duration maxTime;
    private final LongSupplier nanos;
    private final Map<List<ScheduledFault>, Boolean> answered = new HashMap<>();
    private final List<Try> tried = new ArrayList<>();
    private long startNanos;

    /**
     * @param maxRuns at most this many oracle runs (at least 1)
     * @param maxTime no new run after this much time (null: no bound)
     * @param nanos the clock ({@link System#nanoTime} in real use)
     */
    public Shrinker(Oracle oracle, int maxRuns, Duration maxTime, LongSupplier nanos) {
        if (maxRuns < 1) throw new IllegalArgumentException("the budget must allow at least one run");
        this.oracle = Objects.requireNonNull(oracle, "oracle");
        this.maxRuns = maxRuns;
        this.maxTime = maxTime;
        this.nanos = nanos;
    }

    /** Shrinks {@code failing}, a schedule known to fail. */
    public Result shrink(Schedule failing) throws InterruptedException {
        startNanos = nanos.getAsLong();
        Schedule best = failing;
        boolean exhausted = false;
        try {
            if (!failing.faults().isEmpty() && fails(failing.withFaults(List.of()))) {
                best = failing.withFaults(List.of());
            } else {
                best = failing.withFaults(ddmin(failing, failing.faults()));
                best = shorten(best);
            }
        } catch (Exhausted e) {
            exhausted = true;
            best = smallestFailing(failing);
        }
        return new Result(best, tried.size(), exhausted, tried);
    }

    private List<ScheduledFault> ddmin(Schedule s, List<ScheduledFault> faults) throws InterruptedException, Exhausted {
        int n = 2;
        while (faults.size() >= 2) {
            List<List<ScheduledFault>> parts = split(faults, n);
            List<ScheduledFault> next = null;
            int nextN = n;
            for (List<ScheduledFault> part : parts) {
                if (fails(s.withFaults(part))) {
                    next = part;
                    nextN = 2;
                    break;
                }
            }
            if (next == null && n > 2) {
                for (List<ScheduledFault> part : parts) {
                    List<ScheduledFault> complement = new ArrayList<>(faults);
                    complement.removeAll(part);
                    if (fails(s.withFaults(complement))) {
                        next = complement;
                        nextN = Math.max(n - 1, 2);
                        break;
                    }
                }
            }
            if (next != null) {
                faults = next;
                n = Math.min(nextN, Math.max(faults.size(), 2));
            } else if (n < faults.size()) {
                n = Math.min(2 * n, faults.size());
            } else {
                break;
            }
        }
        return faults;
    }

    /** {@code n} contiguous parts as equal as can be, the longer ones first. */
    static List<List<ScheduledFault>> split(List<ScheduledFault> faults, int n) {
        List<List<ScheduledFault>> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < n; i++) {
            int size = faults.size() / n + (i < faults.size() % n ? 1 : 0);
            parts.add(List.copyOf(faults.subList(start, start + size)));
            start += size;
        }
        return parts;
    }

    private Schedule shorten(Schedule s) throws InterruptedException, Exhausted {
        List<ScheduledFault> faults = new ArrayList<>(s.faults());
        for (int i = 0; i < faults.size(); i++) {
            while (true) {
                ScheduledFault f = faults.get(i);
                Duration half = Duration.ofMillis(f.duration().toMillis() / 2);
                if (f.fault().instant() || half.compareTo(MIN_DURATION) < 0) break;
                List<ScheduledFault> candidate = new ArrayList<>(faults);
                candidate.set(i, f.withDuration(half));
                if (!fails(s.withFaults(candidate))) break;
                faults = candidate;
            }
        }
        return s.withFaults(faults);
    }

    private boolean fails(Schedule candidate) throws InterruptedException, Exhausted {
        Boolean known = answered.get(candidate.faults());
        if (known != null) return known;
        if (tried.size() >= maxRuns || (maxTime != null && nanos.getAsLong() - startNanos >= maxTime.toNanos())) {
            throw new Exhausted();
        }
        boolean failed = oracle.stillFails(candidate);
        answered.put(candidate.faults(), failed);
        tried.add(new Try(candidate, failed));
        return failed;
    }

    /** When the budget ran out: the failing candidate with the fewest faults, then the least fault time. */
    private Schedule smallestFailing(Schedule original) {
        Schedule best = original;
        for (Try t : tried) {
            if (t.failed() && smaller(t.candidate(), best)) best = t.candidate();
        }
        return best;
    }

    private static boolean smaller(Schedule a, Schedule b) {
        if (a.faults().size() != b.faults().size())
            return a.faults().size() < b.faults().size();
        return faultTime(a).compareTo(faultTime(b)) < 0;
    }

    /** The sum of the faults' durations. */
    public static Duration faultTime(Schedule s) {
        return s.faults().stream().map(ScheduledFault::duration).reduce(Duration.ZERO, Duration::plus);
    }
}
