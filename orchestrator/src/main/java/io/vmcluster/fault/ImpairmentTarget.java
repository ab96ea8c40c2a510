package io.vmcluster.fault;

import java.util.Objects;
import java.util.Optional;

/**
 * Which frames an impairment applies to: everything a node sends ({@link #node}), or only what
 * one node sends to another ({@link #pair}).
 */
public record ImpairmentTarget(String from, Optional<String> to) {
    public ImpairmentTarget {
        Objects.requireNonNull(from, "from");
        to = to == null ? Optional.empty() : to;
        if (to.isPresent() && to.get().equals(from)) {
            throw new IllegalArgumentException("an impaired pair needs two different nodes, got " + from + " twice");
        }
    }

    /** Everything {@code node} sends on its NICs. */
    public static ImpairmentTarget node(String node) {
        return new ImpairmentTarget(node, Optional.empty());
    }

    /** Only what {@code from} sends to {@code to}; the reverse direction is untouched. */
    public static ImpairmentTarget pair(String from, String to) {
        return new ImpairmentTarget(from, Optional.of(to));
    }

    @Override
    public String toString() {
        return to.map(t -> from + "->" + t).orElse(from);
    }
}
