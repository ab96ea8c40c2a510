package io.vmcluster.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PartitionTest {
    private static final List<String> FIVE = List.of("n1", "n2", "n3", "n4", "n5");

    @Nested
    class Groups {
        @Test
        void cutsEveryLinkBetweenGroupsInBothDirections() {
            Partition p = Partition.ofGroups(List.of(List.of("n1"), List.of("n2", "n3")));
            assertThat(p.cuts())
                    .containsExactlyInAnyOrder(
                            new Link("n1", "n2"), new Link("n2", "n1"), new Link("n1", "n3"), new Link("n3", "n1"));
            assertThat(p.allows("n2", "n3")).as("same group").isTrue();
            assertThat(p.description()).isEqualTo("[n1] | [n2, n3]");
        }

        @Test
        void nodesInNoGroupStayConnectedToAll() {
            Partition p = Partition.ofGroups(List.of(List.of("n1"), List.of("n2")));
            for (String other : List.of("n1", "n2")) {
                assertThat(p.allows("n3", other)).as("n3 -> " + other).isTrue();
                assertThat(p.allows(other, "n3")).as(other + " -> n3").isTrue();
            }
            assertThat(p.allows("n1", "n2")).isFalse();
        }

        @Test
        void refusesANodeInTwoGroupsAnEmptyGroupAndASingleGroup() {
            assertThatThrownBy(() -> Partition.ofGroups(List.of(List.of("n1", "n2"), List.of("n2"))))
                    .hasMessageContaining("node n2 is in more than one group");
            assertThatThrownBy(() -> Partition.ofGroups(List.of(List.of("n1"), List.of())))
                    .hasMessageContaining("group 2")
                    .hasMessageContaining("is empty");
            assertThatThrownBy(() -> Partition.ofGroups(List.of(List.of("n1"))))
                    .hasMessageContaining("at least two groups");
        }

        @Test
        void oneWayCutsOnlyOneDirection() {
            Partition p = Partition.oneWay("n1", "n2");
            assertThat(p.allows("n1", "n2")).isFalse();
            assertThat(p.allows("n2", "n1")).isTrue();
            assertThat(p.cuts()).hasSize(1);
        }
    }

    @Nested
    class Shapes {
        @ParameterizedTest
        @EnumSource(PartitionShape.class)
        void sameSeedSamePartitionAndTheSeedIsRecorded(PartitionShape shape) {
            Partition a = shape.apply(FIVE, 42);
            Partition b = shape.apply(FIVE, 42);
            assertThat(a).isEqualTo(b);
            assertThat(a.params()).containsEntry("seed", 42L).containsEntry("shape", shape.wireName());
            assertThat(a.cuts()).as("five nodes are always cut somewhere").isNotEmpty();
        }

        @Test
        void differentSeedsPickDifferentNodes() {
            Set<Set<Link>> seen = new HashSet<>();
            for (long seed = 0; seed < 20; seed++) {
                seen.add(PartitionShape.ISOLATE_ONE.apply(FIVE, seed).cuts());
            }
            assertThat(seen).as("20 seeds isolate more than one distinct node").hasSizeGreaterThan(1);
        }

        @Test
        void isolateOneCutsExactlyOneNodeFromAllOthers() {
            Partition p = PartitionShape.ISOLATE_ONE.apply(FIVE, 7);
            assertThat(p.cuts()).hasSize(8);
            String isolated = p.cuts().stream()
                    .map(Link::from)
                    .filter(n ->
                            p.cuts().stream().filter(l -> l.from().equals(n)).count() == 4)
                    .findFirst()
                    .orElseThrow();
            for (String other : FIVE) {
                if (!other.equals(isolated)) {
                    assertThat(p.allows(isolated, other)).isFalse();
                    assertThat(p.allows(other, isolated)).isFalse();
                }
            }
        }

        @Test
        void halvesAndMajorityLeaveAStrictMajorityOnOneSide() {
            for (PartitionShape s : List.of(PartitionShape.HALVES, PartitionShape.MAJORITY_MINORITY)) {
                Partition p = s.apply(FIVE, 3);
                assertThat(p.cuts()).as(s + ": 2 x 3 nodes, both directions").hasSize(12);
            }
        }

        @Test
        void halvesPutsTheSmallerGroupFirstForAnOddCount() {
            // docs/faults.md: "two halves, the first the smaller when the count is odd"
            for (long seed = 0; seed < 20; seed++) {
                Partition p = PartitionShape.HALVES.apply(FIVE, seed);
                @SuppressWarnings("unchecked")
                List<List<String>> groups = (List<List<String>>) p.params().get("groups");
                assertThat(groups).extracting(List::size).as("seed " + seed).containsExactly(2, 3);
                assertThat(p.description()).startsWith("[" + String.join(", ", groups.get(0)) + "] | ");
            }
        }

        @Test
        void majoritiesRingGivesEveryNodeADifferentMajority() {
            Partition p = PartitionShape.MAJORITIES_RING.apply(FIVE, 11);
            Set<Set<String>> views = new HashSet<>();
            for (String n : FIVE) {
                Set<String> sees = new TreeSet<>();
                for (String m : FIVE) {
                    if (p.allows(n, m)) {
                        sees.add(m);
                    }
                }
                assertThat(sees).as(n + " sees a majority").hasSizeGreaterThanOrEqualTo(3);
                views.add(sees);
            }
            assertThat(views).as("no two nodes see the same majority").hasSize(5);
            assertThat(p.cuts()).allSatisfy(l -> assertThat(p.cuts()).contains(l.reversed()));
        }

        @Test
        void bridgeNodeSeesBothHalvesThatCannotSeeEachOther() {
            Partition p = PartitionShape.BRIDGE.apply(FIVE, 5);
            String bridge = (String) p.params().get("bridge");
            for (String n : FIVE) {
                assertThat(p.allows(bridge, n)).isTrue();
                assertThat(p.allows(n, bridge)).isTrue();
            }
            assertThat(p.cuts()).hasSize(8); // 2 x 2 nodes, both directions
            assertThat(p.nodes()).doesNotContain(bridge);
        }

        @Test
        void randomPicksAShapeReproducibly() {
            assertThat(PartitionShape.random(FIVE, 99)).isEqualTo(PartitionShape.random(FIVE, 99));
            Set<java.util.Optional<PartitionShape>> shapes = new HashSet<>();
            for (long seed = 0; seed < 50; seed++) {
                shapes.add(PartitionShape.random(FIVE, seed).shape());
            }
            assertThat(shapes).hasSize(PartitionShape.values().length);
        }

        @Test
        void parseNamesTheValidShapes() {
            assertThat(PartitionShape.parse("majorities-ring")).isEqualTo(PartitionShape.MAJORITIES_RING);
            assertThatThrownBy(() -> PartitionShape.parse("triangle"))
                    .hasMessageContaining("triangle")
                    .hasMessageContaining("isolate-one");
        }
    }
}
