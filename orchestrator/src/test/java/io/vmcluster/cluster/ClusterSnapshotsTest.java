package io.vmcluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The clock step after a restore (WarmStartIT and FreshIT check the clocks on real guests). */
class ClusterSnapshotsTest {
    static final long HOST = 1_796_000_000_000L; // epoch ms

    @Test
    void aGuestWithinASecondOfTheHostIsLeftAlone() {
        assertThat(ClusterSnapshots.clockStep(HOST, HOST + 100, HOST / 1000)).isZero();
        assertThat(ClusterSnapshots.clockStep(HOST + 400, HOST + 900, HOST / 1000))
                .isZero();
    }

    @Test
    void aGuestBehindOrAheadIsMovedByTheDifferenceFromTheProbesMidpoint() {
        // sent at H, answered at H+2 s: the guest read its clock at about H+1 s and said H-60 s
        long step = ClusterSnapshots.clockStep(HOST, HOST + 2000, HOST / 1000 - 60);
        assertThat(step).isBetween(60L, 62L);
        // a guest 9 s ahead (its clock ran on from the host's while the test went on)
        assertThat(ClusterSnapshots.clockStep(HOST, HOST + 200, HOST / 1000 + 9))
                .isBetween(-9L, -8L);
    }

    @Test
    void afterTheStepTheGuestIsWithinASecondAndAHalfOfTheHostWhateverItsFraction() {
        for (long behindMs : new long[] {-86_400_000, -9_300, -1_500, 1_200, 4_700, 61_234}) {
            for (int frac = 0; frac < 1000; frac += 125) {
                double guestTrue = (HOST - behindMs + frac) / 1000.0; // when probed, rtt 0
                long step = ClusterSnapshots.clockStep(HOST + frac, HOST + frac, (long) Math.floor(guestTrue));
                // date -s @$(( $(date +%s) + step )) keeps the whole seconds only
                double after = step == 0 ? guestTrue : Math.floor(guestTrue) + step;
                assertThat(after - (HOST + frac) / 1000.0)
                        .as("guest %d ms behind, fraction %d ms: step %d", behindMs, frac, step)
                        .isBetween(-1.5, 1.5);
            }
        }
    }
}
