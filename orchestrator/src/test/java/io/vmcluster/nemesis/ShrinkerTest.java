package io.vmcluster.nemesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.fault.FaultSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The shrink algorithm against a fake "does it still fail" oracle: no runs, only answers. */
class ShrinkerTest {
    /** Ten faults, #0..#9, one every 12 s, each 10 s long (the pauses), some instant (kills). */
    static Schedule schedule(int count) {
        List<ScheduledFault> faults = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ScheduledNodes node = ScheduledNodes.names("n" + (1 + i % 3));
            FaultSpec<ScheduledNodes> f =
                    i % 4 == 3 ? new FaultSpec.KillProcess<>(node, "jobq") : new FaultSpec.Pause<>(node);
            faults.add(new ScheduledFault(
                    i, Duration.ofSeconds(12L * i), f.instant() ? Duration.ZERO : Duration.ofSeconds(10), f));
        }
        return new Schedule(7, List.of("n1", "n2", "n3"), Duration.ofSeconds(12L * count + 10), Duration.ZERO, faults);
    }

    static Set<Integer> ids(Schedule s) {
        return new java.util.TreeSet<>(
                s.faults().stream().map(ScheduledFault::id).toList());
    }

    static boolean has(Schedule s, int id) {
        return s.faults().stream().anyMatch(f -> f.id() == id);
    }

    static ScheduledFault fault(Schedule s, int id) {
        return s.faults().stream().filter(f -> f.id() == id).findFirst().orElseThrow();
    }

    final List<Set<Integer>> asked = new ArrayList<>();
    final List<List<ScheduledFault>> candidates = new ArrayList<>();

    Shrinker.Oracle oracle(Predicate<Schedule> fails) {
        return c -> {
            asked.add(ids(c));
            candidates.add(c.faults());
            return fails.test(c);
        };
    }

    Shrinker.Result shrink(Predicate<Schedule> fails, Schedule s) throws Exception {
        return new Shrinker(oracle(fails), 1000, null, System::nanoTime).shrink(s);
    }

    @Test
    void twoFaultsThatFailOnlyTogetherAreWhatIsLeft() throws Exception {
        Shrinker.Result r = shrink(c -> has(c, 2) && has(c, 6), schedule(10));
        assertThat(ids(r.schedule())).containsExactly(2, 6);
        assertThat(r.exhausted()).isFalse();
        assertThat(r.runs()).isEqualTo(asked.size()).isLessThan(40);
        assertThat(asked.get(0)).as("first: no faults at all").isEmpty();
        // kept faults keep their ids and starts
        assertThat(fault(r.schedule(), 6).at()).isEqualTo(Duration.ofSeconds(72));
    }

    @Test
    void theSameAnswersGiveTheSameRunsInTheSameOrder() throws Exception {
        Predicate<Schedule> fails = c -> has(c, 1) && (has(c, 8) || has(c, 9));
        shrink(fails, schedule(10));
        List<Set<Integer>> first = List.copyOf(asked);
        asked.clear();
        Shrinker.Result again = shrink(fails, schedule(10));
        assertThat(asked).isEqualTo(first);
        assertThat(ids(again.schedule())).hasSize(2).contains(1);
    }

    @Test
    void durationsAreHalvedWhileItStillFails() throws Exception {
        // fails while pause #4 lasts at least 2 s: 10 s -> 5 s -> 2.5 s (1.25 s passes)
        Shrinker.Result r =
                shrink(c -> has(c, 4) && fault(c, 4).duration().compareTo(Duration.ofSeconds(2)) >= 0, schedule(10));
        assertThat(ids(r.schedule())).containsExactly(4);
        assertThat(fault(r.schedule(), 4).duration()).isEqualTo(Duration.ofMillis(2500));
        assertThat(fault(r.schedule(), 4).at()).isEqualTo(Duration.ofSeconds(48));
    }

    @Test
    void durationsStopAtTheFloor() throws Exception {
        Shrinker.Result r = shrink(c -> has(c, 0), schedule(3));
        assertThat(fault(r.schedule(), 0).duration()).isEqualTo(Duration.ofMillis(625)); // 10, 5, 2.5, 1.25, 0.625
        assertThat(fault(r.schedule(), 0).duration()).isGreaterThanOrEqualTo(Shrinker.MIN_DURATION);
    }

    @Test
    void aFailureWithoutAnyFaultIsSaidAtOnce() throws Exception {
        Shrinker.Result r = shrink(c -> true, schedule(10));
        assertThat(r.schedule().faults()).isEmpty();
        assertThat(r.runs()).isEqualTo(1);
    }

    @Test
    void theResultIsOneMinimalForManyMonotoneFailures() throws Exception {
        for (long seed = 0; seed < 200; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int count = 1 + rnd.nextInt(16);
            Schedule s = schedule(count);
            // fails when it holds at least k of a random set of "culprits" (monotone, failing in full)
            Set<Integer> culprits = new java.util.HashSet<>();
            int want = 1 + rnd.nextInt(count);
            while (culprits.size() < want) culprits.add(rnd.nextInt(count));
            int k = 1 + rnd.nextInt(culprits.size());
            Predicate<Schedule> fails = c ->
                    c.faults().stream().filter(f -> culprits.contains(f.id())).count() >= k;
            candidates.clear();
            Shrinker.Result r = shrink(fails, s);
            assertThat(fails.test(r.schedule()))
                    .as("seed %d: the result fails", seed)
                    .isTrue();
            assertThat(r.schedule().faults()).as("seed %d", seed).hasSize(k);
            for (ScheduledFault f : r.schedule().faults()) {
                List<ScheduledFault> less = new ArrayList<>(r.schedule().faults());
                less.remove(f);
                assertThat(fails.test(r.schedule().withFaults(less)))
                        .as("seed %d: without #%d it passes", seed, f.id())
                        .isFalse();
            }
            assertThat(candidates).as("seed %d: no candidate asked twice", seed).doesNotHaveDuplicates();
        }
    }

    @Test
    void theRunBudgetStopsItWithTheSmallestFailureSoFar() throws Exception {
        Shrinker.Result r =
                new Shrinker(oracle(c -> has(c, 2) && has(c, 6)), 3, null, System::nanoTime).shrink(schedule(10));
        assertThat(r.exhausted()).isTrue();
        assertThat(r.runs()).isEqualTo(3);
        // asked: {} (passes), #0..#4 (passes), #5..#9 (passes): nothing smaller failed
        assertThat(ids(r.schedule())).hasSize(10);
    }

    @Test
    void theTimeBudgetStopsItToo() throws Exception {
        long[] now = {0};
        Shrinker.Oracle slow = c -> {
            now[0] += Duration.ofMinutes(4).toNanos();
            asked.add(ids(c));
            return has(c, 2);
        };
        Shrinker.Result r = new Shrinker(slow, 100, Duration.ofMinutes(10), () -> now[0]).shrink(schedule(10));
        assertThat(r.exhausted()).isTrue();
        assertThat(r.runs()).as("runs start at 0, 4 and 8 minutes").isEqualTo(3);
        // {} passes, #0..#4 fails, #0..#2 fails; at 12 minutes no new run
        assertThat(ids(r.schedule())).containsExactly(0, 1, 2);
    }

    @Test
    void aBudgetOfNothingIsRefused() {
        assertThatThrownBy(() -> new Shrinker(c -> true, 0, null, System::nanoTime))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void splitIsContiguousAndBalanced() {
        List<ScheduledFault> f = schedule(7).faults();
        assertThat(Shrinker.split(f, 3).stream().map(List::size)).containsExactly(3, 2, 2);
        assertThat(Shrinker.split(f, 3).stream().flatMap(List::stream)).containsExactlyElementsOf(f);
    }
}
