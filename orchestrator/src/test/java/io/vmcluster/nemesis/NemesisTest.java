package io.vmcluster.nemesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.fault.DiskErrors;
import io.vmcluster.fault.FaultSpec;
import io.vmcluster.fault.Impairment;
import io.vmcluster.fault.PartitionShape;
import io.vmcluster.qmp.IoThrottle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The generator is a pure function of (seed, spec, node names); these are its promises. */
class NemesisTest {
    static final List<String> FIVE = List.of("n1", "n2", "n3", "n4", "n5");
    static final NodeChoice RANDOM = new NodeChoice.OneRandom();

    static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    /** Every kind of the fault API, over every kind of node choice. */
    static NemesisSpec everything(int concurrency) {
        List<FaultChoice> c = List.of(
                FaultChoice.of(new FaultSpec.Crash<>(RANDOM)).withWeight(3),
                FaultChoice.of(new FaultSpec.Pause<>(new NodeChoice.Minority())),
                FaultChoice.of(new FaultSpec.Shutdown<>(RANDOM)),
                FaultChoice.of(new FaultSpec.Reset<>(RANDOM)),
                FaultChoice.of(new FaultSpec.KillProcess<>(RANDOM, "jobq")),
                FaultChoice.of(new FaultSpec.StopService<>(RANDOM, "jobq")),
                FaultChoice.of(new FaultSpec.ShapedPartition<>(PartitionShape.MAJORITIES_RING, 0)),
                FaultChoice.of(new FaultSpec.Isolate<>(new NodeChoice.Majority())),
                FaultChoice.of(new FaultSpec.CutOneWay<>(RANDOM, RANDOM)),
                FaultChoice.of(new FaultSpec.CutNic<>(RANDOM)),
                FaultChoice.of(
                        new FaultSpec.Impair<>(RANDOM, null, Impairment.none().loss(20))),
                FaultChoice.of(new FaultSpec.SlowDisk<>(RANDOM, IoThrottle.operationsPerSecond(20))),
                FaultChoice.of(new FaultSpec.FailDisk<>(RANDOM, DiskErrors.all())),
                FaultChoice.of(new FaultSpec.SkewClock<>(RANDOM, s(-30))).lasting(Bounds.fixed(s(3))),
                FaultChoice.of(new FaultSpec.Pause<>(new NodeChoice.Probe("leader"))));
        return new NemesisSpec(
                c,
                Bounds.between(s(1), s(10)),
                Bounds.between(Duration.ofMillis(200), s(4)),
                concurrency,
                s(120),
                s(10));
    }

    @Test
    void theSameSeedGivesTheSameScheduleAndAnotherSeedAnother() {
        NemesisSpec spec = everything(3);
        Schedule a = Nemesis.generate(42, spec, FIVE);
        Schedule b = Nemesis.generate(42, spec, FIVE);
        assertThat(a).isEqualTo(b);
        assertThat(a.faults())
                .as("a two-minute nemesis with gaps of at most 4 s")
                .hasSizeGreaterThan(10);
        assertThat(Nemesis.generate(43, spec, FIVE)).isNotEqualTo(a);
        assertThat(a.seed()).isEqualTo(42);
        assertThat(a.nodes()).isEqualTo(FIVE);
        assertThat(a.recovery()).isEqualTo(s(10));
    }

    @Test
    void oneFaultAtATimeRespectsDurationAndGapBounds() {
        NemesisSpec spec = NemesisSpec.of(
                List.of(FaultChoice.of(new FaultSpec.Crash<>(RANDOM))),
                Bounds.between(s(2), s(5)),
                Bounds.between(s(1), s(3)),
                s(300));
        for (long seed : LongStream.range(0, 200).toArray()) {
            Schedule sc = Nemesis.generate(seed, spec, FIVE);
            List<ScheduledFault> f = sc.faults();
            assertThat(f.get(0).at()).as("the first gap").isBetween(s(1), s(3));
            for (int i = 0; i < f.size(); i++) {
                ScheduledFault x = f.get(i);
                assertThat(x.end())
                        .as("seed %d: %s ends by the length", seed, x)
                        .isLessThanOrEqualTo(s(300));
                if (x.end().compareTo(s(300)) < 0) {
                    assertThat(x.duration()).as("seed %d: %s", seed, x).isBetween(s(2), s(5));
                }
                if (i > 0) {
                    Duration gap = x.at().minus(f.get(i - 1).end());
                    assertThat(gap)
                            .as("seed %d: the quiet time before %s", seed, x)
                            .isBetween(s(1), s(3));
                }
            }
        }
    }

    @Test
    void fixedBoundsDrawNothing() {
        NemesisSpec spec = NemesisSpec.of(
                List.of(FaultChoice.of(new FaultSpec.Pause<>(new NodeChoice.Named(List.of("n2"))))),
                Bounds.fixed(s(5)),
                Bounds.fixed(s(10)),
                s(60));
        Schedule sc = Nemesis.generate(7, spec, FIVE);
        assertThat(sc.faults()).extracting(ScheduledFault::at).containsExactly(s(10), s(25), s(40), s(55));
        assertThat(sc.faults().get(3).duration()).as("cut short at the length").isEqualTo(s(5));
        assertThat(sc.faults().get(0).fault()).isEqualTo(new FaultSpec.Pause<>(ScheduledNodes.names("n2")));
    }

    @Nested
    class OverManySeeds {
        final List<Schedule> schedules = LongStream.range(0, 300)
                .mapToObj(seed -> Nemesis.generate(seed, everything((int) (seed % 4) + 1), FIVE))
                .toList();

        @Test
        void neverMoreFaultsOpenThanTheConcurrency() {
            for (Schedule sc : schedules) {
                int limit = (int) (sc.seed() % 4) + 1;
                for (ScheduledFault f : sc.faults()) {
                    long open = sc.faults().stream()
                            .filter(o -> !o.fault().instant())
                            .filter(o ->
                                    o.at().compareTo(f.at()) <= 0 && o.end().compareTo(f.at()) > 0)
                            .count();
                    assertThat(open)
                            .as("seed %d, open when %s starts", sc.seed(), f)
                            .isLessThanOrEqualTo(limit);
                }
            }
        }

        @Test
        void noTwoFaultsMeetOnANodeWhereTheFaultApiCouldNotHaveBoth() {
            int meetings = 0;
            for (Schedule sc : schedules) {
                List<ScheduledFault> f = sc.faults();
                for (int i = 0; i < f.size(); i++) {
                    for (int j = i + 1; j < f.size(); j++) {
                        ScheduledFault a = f.get(i);
                        ScheduledFault b = f.get(j);
                        Set<String> shared = new HashSet<>(Nemesis.names(a));
                        shared.retainAll(Nemesis.names(b));
                        if (shared.isEmpty() || !Nemesis.overlaps(a.at(), a.end(), b.at(), b.end())) continue;
                        meetings++;
                        assertThat(NodeUse.compatible(
                                        a.fault().kind(), b.fault().kind()))
                                .as("seed %d: %s and %s meet on %s", sc.seed(), a, b, shared)
                                .isTrue();
                    }
                }
            }
            assertThat(meetings)
                    .as("compatible faults do meet, so the check was exercised")
                    .isPositive();
        }

        @Test
        void choicesTakeTheirSizesAndDistinctNodes() {
            for (Schedule sc : schedules) {
                for (ScheduledFault f : sc.faults()) {
                    if (f.fault() instanceof FaultSpec.Pause<ScheduledNodes> p
                            && p.nodes() instanceof ScheduledNodes.Names n) {
                        assertThat(n.names()).as("a minority of 5").hasSize(2);
                    }
                    if (f.fault() instanceof FaultSpec.Isolate<ScheduledNodes> iso) {
                        assertThat(((ScheduledNodes.Names) iso.nodes()).names())
                                .as("a majority of 5")
                                .hasSize(3);
                    }
                    if (f.fault() instanceof FaultSpec.CutOneWay<ScheduledNodes> c) {
                        assertThat(c.from()).as("seed %d: %s", sc.seed(), f).isNotEqualTo(c.to());
                    }
                    if (f.fault().instant()) {
                        assertThat(f.duration()).isZero();
                    }
                    if (f.fault() instanceof FaultSpec.SkewClock<?>) {
                        assertThat(f.duration()).as("its own bounds").isLessThanOrEqualTo(s(3));
                    }
                }
            }
        }

        @Test
        void probesStayProbesAndPartitionsGetTheirOwnSeed() {
            List<FaultSpec<ScheduledNodes>> all = new ArrayList<>();
            schedules.forEach(sc -> sc.faults().forEach(f -> all.add(f.fault())));
            assertThat(all).contains(new FaultSpec.Pause<>(new ScheduledNodes.Probe("leader")));
            assertThat(all.stream()
                            .filter(f -> f instanceof FaultSpec.ShapedPartition<?>)
                            .map(f -> ((FaultSpec.ShapedPartition<?>) f).seed())
                            .distinct()
                            .count())
                    .isGreaterThan(10);
        }
    }

    @Nested
    class Refuses {
        @Test
        void aNamedNodeTheClusterLacks() {
            NemesisSpec spec = NemesisSpec.of(
                    List.of(FaultChoice.of(new FaultSpec.Crash<>(new NodeChoice.Named(List.of("n9"))))),
                    Bounds.fixed(s(1)),
                    Bounds.fixed(s(1)),
                    s(10));
            assertThatThrownBy(() -> Nemesis.generate(1, spec, FIVE))
                    .hasMessageContaining("names node 'n9'")
                    .hasMessageContaining("n1, n2, n3, n4, n5");
        }

        @Test
        void aMinorityOfTwoNodes() {
            NemesisSpec spec = NemesisSpec.of(
                    List.of(FaultChoice.of(new FaultSpec.Crash<>(new NodeChoice.Minority()))),
                    Bounds.fixed(s(1)),
                    Bounds.fixed(s(1)),
                    s(10));
            assertThatThrownBy(() -> Nemesis.generate(1, spec, List.of("a", "b")))
                    .hasMessageContaining("a minority needs at least 3 nodes; the cluster has 2");
        }

        @Test
        void aZeroGapOrNoFaults() {
            assertThatThrownBy(() -> NemesisSpec.of(
                            List.of(FaultChoice.of(new FaultSpec.Crash<>(RANDOM))),
                            Bounds.fixed(s(1)),
                            Bounds.fixed(Duration.ZERO),
                            s(10)))
                    .hasMessageContaining("gap");
            assertThatThrownBy(() -> NemesisSpec.of(List.of(), Bounds.fixed(s(1)), Bounds.fixed(s(1)), s(10)))
                    .hasMessageContaining("at least one fault");
        }
    }
}
