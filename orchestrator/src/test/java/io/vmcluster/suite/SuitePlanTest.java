package io.vmcluster.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SuitePlanTest {
    @Test
    void unitsAreSortedByNameThenRoundAndDealtRoundRobin() {
        SuitePlan plan = SuitePlan.of(List.of("partition", "crash", "upgrade"), 2);

        assertThat(plan.units().stream().map(SuiteUnit::id))
                .containsExactly(
                        "crash/round-1",
                        "crash/round-2",
                        "partition/round-1",
                        "partition/round-2",
                        "upgrade/round-1",
                        "upgrade/round-2");
        assertThat(plan.share(new Shard(1, 4)).stream().map(SuiteUnit::id))
                .containsExactly("crash/round-1", "upgrade/round-1");
        assertThat(plan.share(new Shard(2, 4)).stream().map(SuiteUnit::id))
                .containsExactly("crash/round-2", "upgrade/round-2");
        assertThat(plan.share(new Shard(3, 4)).stream().map(SuiteUnit::id)).containsExactly("partition/round-1");
        assertThat(plan.share(new Shard(4, 4)).stream().map(SuiteUnit::id)).containsExactly("partition/round-2");
    }

    @Test
    void withoutRoundsAUnitIsTheScenarioAndItsDirectoryItsName() {
        SuitePlan plan = SuitePlan.of(List.of("b", "a b/c"), 1);
        assertThat(plan.units().stream().map(SuiteUnit::id)).containsExactly("a-b-c", "b");
    }

    @Test
    void theShardsOfEverySplitTogetherHoldEveryUnitOnceAndDifferByAtMostOne() {
        for (int scenarios = 0; scenarios <= 7; scenarios++) {
            List<String> names = new ArrayList<>();
            for (int s = 0; s < scenarios; s++) names.add("s" + s);
            for (int rounds = 1; rounds <= 3; rounds++) {
                SuitePlan plan = SuitePlan.of(names, rounds);
                for (int n = 1; n <= 9; n++) {
                    List<SuiteUnit> all = new ArrayList<>();
                    int min = Integer.MAX_VALUE, max = 0;
                    for (int k = 1; k <= n; k++) {
                        List<SuiteUnit> share = plan.share(new Shard(k, n));
                        for (SuiteUnit u : share) {
                            assertThat(plan.shardOf(u, n)).isEqualTo(k);
                        }
                        all.addAll(share);
                        min = Math.min(min, share.size());
                        max = Math.max(max, share.size());
                    }
                    assertThat(all)
                            .as("%d scenarios x %d rounds in %d shards", scenarios, rounds, n)
                            .containsExactlyInAnyOrderElementsOf(plan.units())
                            .doesNotHaveDuplicates();
                    assertThat(max - min).as("sizes of %d shards", n).isLessThanOrEqualTo(1);
                }
            }
        }
    }

    @Test
    void theOrderTheScenariosAreGivenInDoesNotChangeTheSplit() {
        List<String> names = new ArrayList<>(List.of("zeta", "alpha", "mid", "Beta", "gamma"));
        List<SuiteUnit> first = SuitePlan.of(names, 3).share(new Shard(2, 3));
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(names, random);
            assertThat(SuitePlan.of(names, 3).share(new Shard(2, 3))).isEqualTo(first);
        }
    }

    @Test
    void twoScenariosThatWouldShareADirectoryAreRefused() {
        assertThatThrownBy(() -> SuitePlan.of(List.of("a b", "a/b"), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("share the results directory a-b/");
        assertThatThrownBy(() -> SuitePlan.of(List.of("Seed", "seed"), 1))
                .as("case-insensitive file systems")
                .hasMessageContaining("share the results directory");
    }
}
