package io.vmcluster.history;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An operation's function, Jepsen's {@code :f}: what the client asked for. Workloads may use any
 * name of lower-case letters, digits and dashes; the constants are the ones vmcluster's checkers
 * read.
 *
 * @param name e.g. {@code write}, {@code cas}, {@code leader-status}
 */
public record OpFunction(String name) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    /** Register and set: a read; its invocation has a null value, its completion the value read. */
    public static final OpFunction READ = new OpFunction("read");
    /** Register: writes the value. */
    public static final OpFunction WRITE = new OpFunction("write");
    /** Register: compare-and-set, value {@code [old, new]}. */
    public static final OpFunction CAS = new OpFunction("cas");
    /** Set: adds the value; counter: adds the value (an integer) to the counter. */
    public static final OpFunction ADD = new OpFunction("add");
    /** Queue: enqueues the value. */
    public static final OpFunction ENQUEUE = new OpFunction("enqueue");
    /** Queue: dequeues; the completion's value is the element, or null for an empty queue. */
    public static final OpFunction DEQUEUE = new OpFunction("dequeue");
    /** Queue: dequeues everything; the completion's value is the list of elements. */
    public static final OpFunction DRAIN = new OpFunction("drain");
    /** Unique ids: asks for a new id; the completion's value is the id. */
    public static final OpFunction GENERATE = new OpFunction("generate");
    /** Probe: what a node says about Raft leadership, value {@code {term, leader, ...}}. */
    public static final OpFunction LEADER_STATUS = new OpFunction("leader-status");

    public OpFunction {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name
                    + "' is not an operation function; use lower-case letters, digits and dashes, like write or"
                    + " leader-status");
        }
    }

    public static OpFunction of(String name) {
        return new OpFunction(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
