package io.vmcluster.fault;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Named partition shapes, after Jepsen's nemesis. Each is a pure function of the node list and a
 * seed: the same seed on the same nodes always gives the same partition, and the seed is kept in
 * the partition's parameters so a run can be replayed.
 */
public enum PartitionShape {
    /** One node cut off from all others. */
    ISOLATE_ONE,
    /** Two halves (the first one the smaller when the count is odd). */
    HALVES,
    /** A random strict majority and the rest. */
    MAJORITY_MINORITY,
    /**
     * Every node sees a majority (itself and its nearest neighbours on a shuffled ring), but no two
     * nodes see the same majority. Needs at least 4 nodes to cut anything.
     */
    MAJORITIES_RING,
    /** Two halves that cannot see each other, joined by one node that sees both. */
    BRIDGE;

    /** The name used in events and scenario files, e.g. {@code majorities-ring}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Parses a wire name ({@code majorities-ring}), naming the valid ones on error. */
    public static PartitionShape parse(String name) {
        for (PartitionShape s : values()) {
            if (s.wireName().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown partition shape '" + name + "'; valid shapes are "
                + java.util.Arrays.stream(values())
                        .map(PartitionShape::wireName)
                        .toList());
    }

    /** Picks one shape from the seed, then applies it with the same seed. */
    public static Partition random(List<String> nodes, long seed) {
        PartitionShape shape = values()[new Random(seed).nextInt(values().length)];
        return shape.apply(nodes, seed);
    }

    /** This shape over {@code nodes} (at least 2), shuffled by {@code seed}. */
    public Partition apply(List<String> nodes, long seed) {
        if (nodes.size() < 2) {
            throw new IllegalArgumentException("the " + wireName() + " partition needs at least 2 nodes, got " + nodes);
        }
        List<String> shuffled = new ArrayList<>(nodes);
        Collections.shuffle(shuffled, new Random(seed ^ 0x5DEECE66DL));
        int n = shuffled.size();
        Partition made = switch (this) {
            case ISOLATE_ONE -> Partition.ofGroups(List.of(shuffled.subList(0, 1), shuffled.subList(1, n)));
            case HALVES -> Partition.ofGroups(List.of(shuffled.subList(0, n / 2), shuffled.subList(n / 2, n)));
            case MAJORITY_MINORITY ->
                Partition.ofGroups(List.of(shuffled.subList(0, n / 2 + 1), shuffled.subList(n / 2 + 1, n)));
            case MAJORITIES_RING -> ring(shuffled);
            case BRIDGE -> bridge(shuffled);
        };
        if (made.cuts().isEmpty() && this != MAJORITIES_RING) {
            throw new IllegalArgumentException("the " + wireName() + " partition of " + nodes + " cuts nothing");
        }
        Map<String, Object> params = new LinkedHashMap<>(made.params());
        params.put("shape", wireName());
        params.put("seed", seed);
        return new Partition(FaultKind.PARTITION, Optional.of(this), made.description(), made.cuts(), false, params);
    }

    private static Partition ring(List<String> ring) {
        int n = ring.size();
        int majority = n / 2 + 1;
        int radius = (majority - 1 + 1) / 2; // ceil((majority - 1) / 2): each sees 2*radius+1 >= majority
        SortedSet<Link> cuts = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int d = Math.abs(i - j);
                int ringDistance = Math.min(d, n - d);
                if (i != j && ringDistance > radius) {
                    cuts.add(new Link(ring.get(i), ring.get(j)));
                }
            }
        }
        return new Partition(
                FaultKind.PARTITION,
                Optional.of(MAJORITIES_RING),
                "ring " + ring + ", each sees its " + radius + " nearest on each side",
                cuts,
                false,
                Map.of("ring", List.copyOf(ring)));
    }

    private static Partition bridge(List<String> nodes) {
        int n = nodes.size();
        if (n < 3) {
            throw new IllegalArgumentException("the bridge partition needs at least 3 nodes, got " + nodes);
        }
        List<String> left = nodes.subList(0, n / 2);
        String bridge = nodes.get(n / 2);
        List<String> right = nodes.subList(n / 2 + 1, n);
        Partition halves = Partition.ofGroups(List.of(left, right));
        Map<String, Object> params = new LinkedHashMap<>(halves.params());
        params.put("bridge", bridge);
        return new Partition(
                FaultKind.PARTITION,
                Optional.of(BRIDGE),
                Partition.describe(List.of(left, right)) + " joined by " + bridge,
                halves.cuts(),
                false,
                params);
    }
}
