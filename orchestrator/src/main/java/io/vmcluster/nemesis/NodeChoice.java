package io.vmcluster.nemesis;

import java.util.List;
import java.util.Objects;

/**
 * How a nemesis picks the nodes of a fault. The generator turns every choice except {@link Probe}
 * into node names before the run ({@link ScheduledNodes.Names}); a probe names a node only the
 * running cluster knows (the current leader), so it is asked when the fault is applied.
 */
public sealed interface NodeChoice {
    /** One node, uniformly among those free for the fault. */
    record OneRandom() implements NodeChoice {
        @Override
        public String toString() {
            return "random";
        }
    }

    /** A random strict minority: {@code (n - 1) / 2} nodes (needs at least 3 nodes). */
    record Minority() implements NodeChoice {
        @Override
        public String toString() {
            return "minority";
        }
    }

    /** A random strict majority: {@code n / 2 + 1} nodes. */
    record Majority() implements NodeChoice {
        @Override
        public String toString() {
            return "majority";
        }
    }

    /** Every node. */
    record All() implements NodeChoice {
        @Override
        public String toString() {
            return "all";
        }
    }

    /** These nodes, always. */
    record Named(List<String> names) implements NodeChoice {
        public Named {
            names = List.copyOf(names);
            if (names.isEmpty()) {
                throw new IllegalArgumentException("name at least one node");
            }
        }

        @Override
        public String toString() {
            return String.join(", ", names);
        }
    }

    /** The node a probe of the running cluster names when the fault starts, e.g. {@code leader}. */
    record Probe(String name) implements NodeChoice {
        public Probe {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String toString() {
            return "probe " + name;
        }
    }

    static NodeChoice random() {
        return new OneRandom();
    }

    static NodeChoice minority() {
        return new Minority();
    }

    static NodeChoice majority() {
        return new Majority();
    }

    /**
     * How many nodes this choice takes of {@code clusterSize}, or -1 for a probe (one, known only
     * at run time).
     *
     * @throws IllegalArgumentException if the cluster is too small for the choice
     */
    default int count(int clusterSize) {
        if (this instanceof OneRandom) {
            return 1;
        } else if (this instanceof Minority) {
            if (clusterSize < 3) {
                throw new IllegalArgumentException("a minority needs at least 3 nodes; the cluster has " + clusterSize);
            }
            return (clusterSize - 1) / 2;
        } else if (this instanceof Majority) {
            return clusterSize / 2 + 1;
        } else if (this instanceof All) {
            return clusterSize;
        } else if (this instanceof Named n) {
            return n.names().size();
        }
        return -1;
    }
}
