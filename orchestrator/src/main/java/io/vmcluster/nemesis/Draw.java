package io.vmcluster.nemesis;

import io.vmcluster.fault.FaultSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Chooses the nodes of one fault: each {@link NodeChoice} of it becomes names drawn among the
 * nodes that are free for it and not already taken by another reference of the same fault (so a
 * one-way cut never goes from a node to itself, and partition groups never share a node). A
 * shaped partition gets a fresh seed for its shuffle.
 */
final class Draw {
    private final SplittableRandom random;
    private final List<String> nodes;
    private final Predicate<String> free;
    private final Set<String> taken = new LinkedHashSet<>();

    /** Thrown inside the mapping when too few nodes are free; caught by {@link #apply}. */
    private static final class TooFewFree extends RuntimeException {
        TooFewFree() {
            super(null, null, false, false);
        }
    }

    Draw(SplittableRandom random, List<String> nodes, Predicate<String> free) {
        this.random = random;
        this.nodes = nodes;
        this.free = free;
    }

    /** The fault with its nodes chosen, or null if too few nodes are free for it now. */
    FaultSpec<ScheduledNodes> apply(FaultSpec<NodeChoice> fault) {
        if (fault instanceof FaultSpec.ShapedPartition<NodeChoice> p) {
            return new FaultSpec.ShapedPartition<>(p.shape(), random.nextLong());
        }
        try {
            return fault.map(this::choose);
        } catch (TooFewFree e) {
            return null;
        }
    }

    private ScheduledNodes choose(NodeChoice choice) {
        if (choice instanceof NodeChoice.Probe p) {
            return new ScheduledNodes.Probe(p.name());
        }
        List<String> candidates = new ArrayList<>();
        for (String n : nodes) {
            if (!taken.contains(n) && free.test(n)) {
                candidates.add(n);
            }
        }
        List<String> chosen;
        if (choice instanceof NodeChoice.All) {
            List<String> rest = nodes.stream().filter(n -> !taken.contains(n)).toList();
            if (rest.isEmpty() || !candidates.containsAll(rest)) {
                throw new TooFewFree();
            }
            chosen = rest;
        } else if (choice instanceof NodeChoice.Named named) {
            if (!candidates.containsAll(named.names())) {
                throw new TooFewFree();
            }
            chosen = named.names();
        } else {
            int count = choice.count(nodes.size());
            if (candidates.size() < count) {
                throw new TooFewFree();
            }
            chosen = pick(candidates, count);
        }
        taken.addAll(chosen);
        return new ScheduledNodes.Names(chosen);
    }

    /** {@code count} of {@code candidates}, uniformly, kept in cluster order. */
    private List<String> pick(List<String> candidates, int count) {
        List<String> pool = new ArrayList<>(candidates);
        Set<String> picked = new LinkedHashSet<>();
        for (int i = 0; i < count; i++) {
            picked.add(pool.remove(random.nextInt(pool.size())));
        }
        return candidates.stream().filter(picked::contains).toList();
    }
}
