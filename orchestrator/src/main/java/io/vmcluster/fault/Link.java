package io.vmcluster.fault;

import java.util.Objects;

/** A directed link between two nodes: frames sent by {@code from} and addressed to {@code to}. */
public record Link(String from, String to) implements Comparable<Link> {
    public Link {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.equals(to)) {
            throw new IllegalArgumentException("a link needs two different nodes, got " + from + " twice");
        }
    }

    public Link reversed() {
        return new Link(to, from);
    }

    @Override
    public int compareTo(Link o) {
        int c = from.compareTo(o.from);
        return c != 0 ? c : to.compareTo(o.to);
    }

    @Override
    public String toString() {
        return from + "->" + to;
    }
}
