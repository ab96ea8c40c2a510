package io.vmcluster.workload;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Which node an operation goes to, chosen per operation: always the same one, round-robin over a
 * list, uniformly at random from the workload's seed, or whatever a variable names when the
 * operation starts (a captured leader: a later {@code find_node} moves the workload with it).
 */
public sealed interface NodePick permits NodePick.Fixed, NodePick.RoundRobin, NodePick.Random, NodePick.Dynamic {

    /**
     * The node for the next operation.
     *
     * @param all every node of the cluster (a pick with no list of its own picks among them)
     * @param random the calling client's generator (seeded from the workload's seed)
     */
    String next(List<String> all, SplittableRandom random);

    static NodePick fixed(String node) {
        return new Fixed(node);
    }

    /** Round-robin over {@code nodes}, or over every node when it is empty. */
    static NodePick roundRobin(List<String> nodes) {
        return new RoundRobin(nodes, new AtomicLong());
    }

    /** Uniformly at random among {@code nodes}, or every node when it is empty. */
    static NodePick random(List<String> nodes) {
        return new Random(nodes);
    }

    /** What {@code name} gives when the operation starts (e.g. the value of {@code ${leader}}). */
    static NodePick dynamic(String description, Supplier<String> name) {
        return new Dynamic(description, () -> List.of(String.valueOf(name.get())), false, new AtomicLong());
    }

    /**
     * Round-robin or random among the nodes {@code names} gives when each operation starts (e.g.
     * every node but the current {@code ${leader}}).
     */
    static NodePick dynamic(String description, Supplier<List<String>> names, boolean random) {
        return new Dynamic(description, names, random, new AtomicLong());
    }

    record Fixed(String node) implements NodePick {
        public Fixed {
            Objects.requireNonNull(node, "node");
        }

        @Override
        public String next(List<String> all, SplittableRandom random) {
            return node;
        }

        @Override
        public String toString() {
            return node;
        }
    }

    record RoundRobin(List<String> nodes, AtomicLong counter) implements NodePick {
        public RoundRobin {
            nodes = List.copyOf(nodes);
        }

        @Override
        public String next(List<String> all, SplittableRandom random) {
            List<String> from = nodes.isEmpty() ? all : nodes;
            return from.get((int) Math.floorMod(counter.getAndIncrement(), (long) from.size()));
        }

        @Override
        public String toString() {
            return "round-robin over " + (nodes.isEmpty() ? "all nodes" : nodes);
        }
    }

    record Random(List<String> nodes) implements NodePick {
        public Random {
            nodes = List.copyOf(nodes);
        }

        @Override
        public String next(List<String> all, SplittableRandom random) {
            List<String> from = nodes.isEmpty() ? all : nodes;
            return from.get(random.nextInt(from.size()));
        }

        @Override
        public String toString() {
            return "random among " + (nodes.isEmpty() ? "all nodes" : nodes);
        }
    }

    record Dynamic(String description, Supplier<List<String>> names, boolean random, AtomicLong counter)
            implements NodePick {
        public Dynamic {
            Objects.requireNonNull(names, "names");
        }

        @Override
        public String next(List<String> all, SplittableRandom rnd) {
            List<String> from;
            try {
                from = names.get();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(description + ": " + e.getMessage(), e);
            }
            for (String n : from) {
                if (n == null || !all.contains(n.strip())) {
                    throw new IllegalArgumentException(
                            description + " names '" + n + "', which is not a node (" + String.join(", ", all) + ")");
                }
            }
            if (from.isEmpty()) {
                throw new IllegalArgumentException(description + " names no node now");
            }
            int i = random
                    ? rnd.nextInt(from.size())
                    : (int) Math.floorMod(counter.getAndIncrement(), (long) from.size());
            return from.get(i).strip();
        }

        @Override
        public String toString() {
            return description;
        }
    }
}
