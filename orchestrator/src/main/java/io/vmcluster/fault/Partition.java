package io.vmcluster.fault;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which directed links a partition cuts, as a pure value: built from groups, from a named {@link
 * PartitionShape}, or from single one-way links. Nodes not mentioned keep every link.
 *
 * @param kind {@link FaultKind#PARTITION} or, for single one-way links, {@link FaultKind#ONE_WAY_CUT}
 * @param shape the named shape it was made from, if any (else from groups or one-way links)
 * @param description a readable summary, e.g. {@code [node1] | [node2, node3]}
 * @param cuts the directed links whose frames are dropped
 * @param keepArp let ARP through on the cut links (one-way cuts: without it the receiver could
 *     not learn the sender's MAC, and the open direction would be cut too)
 * @param params what it was made from (groups, seed), recorded in the fault's start event
 */
public record Partition(
        FaultKind kind,
        Optional<PartitionShape> shape,
        String description,
        SortedSet<Link> cuts,
        boolean keepArp,
        Map<String, Object> params) {
    public Partition {
        if (kind != FaultKind.PARTITION && kind != FaultKind.ONE_WAY_CUT) {
            throw new IllegalArgumentException("a partition is a " + FaultKind.PARTITION.wireName() + " or a "
                    + FaultKind.ONE_WAY_CUT.wireName() + ", not " + kind);
        }
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(description, "description");
        cuts = new TreeSet<>(cuts);
        params = new LinkedHashMap<>(params);
    }

    /**
     * Frames between nodes of different groups are dropped, in both directions; nodes named in no
     * group stay connected to all.
     *
     * @throws IllegalArgumentException fewer than two groups, an empty group, or a node in two groups
     */
    public static Partition ofGroups(List<? extends Collection<String>> groups) {
        if (groups.size() < 2) {
            throw new IllegalArgumentException(
                    "a partition needs at least two groups of nodes, got " + groups.size() + ": " + groups);
        }
        Set<String> seen = new HashSet<>();
        List<List<String>> copy = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            Collection<String> g = groups.get(i);
            if (g.isEmpty()) {
                throw new IllegalArgumentException("group " + (i + 1) + " of the partition " + groups + " is empty");
            }
            for (String node : g) {
                if (!seen.add(node)) {
                    throw new IllegalArgumentException(
                            "node " + node + " is in more than one group of the partition " + groups);
                }
            }
            copy.add(List.copyOf(g));
        }
        SortedSet<Link> cuts = new TreeSet<>();
        for (int i = 0; i < copy.size(); i++) {
            for (int j = 0; j < copy.size(); j++) {
                if (i != j) {
                    for (String a : copy.get(i)) {
                        for (String b : copy.get(j)) {
                            cuts.add(new Link(a, b));
                        }
                    }
                }
            }
        }
        return new Partition(
                FaultKind.PARTITION, Optional.empty(), describe(copy), cuts, false, Map.of("groups", copy));
    }

    /**
     * Frames from {@code from} to {@code to} are dropped, except ARP; {@code to} still reaches
     * {@code from} (datagrams arrive; anything needing a reply, like TCP or ping, fails both ways).
     */
    public static Partition oneWay(String from, String to) {
        Link link = new Link(from, to);
        return new Partition(
                FaultKind.ONE_WAY_CUT,
                Optional.empty(),
                link.toString(),
                new TreeSet<>(Set.of(link)),
                true,
                Map.of("from", from, "to", to));
    }

    /** The nodes that appear in any cut. */
    public SortedSet<String> nodes() {
        SortedSet<String> nodes = new TreeSet<>();
        for (Link l : cuts) {
            nodes.add(l.from());
            nodes.add(l.to());
        }
        return nodes;
    }

    /** True if frames from {@code from} to {@code to} still flow. */
    public boolean allows(String from, String to) {
        return from.equals(to) || !cuts.contains(new Link(from, to));
    }

    static String describe(List<? extends Collection<String>> groups) {
        return String.join(
                " | ",
                groups.stream().map(g -> "[" + String.join(", ", g) + "]").toList());
    }
}
