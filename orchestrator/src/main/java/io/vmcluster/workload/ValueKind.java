package io.vmcluster.workload;

/**
 * What value an operation's invocation carries: {@link #UNIQUE} integers (1, 2, 3, ... across the
 * whole workload, so every add or write is told apart), {@link #CAS} a compare-and-set's {@code
 * [old, new]}, or {@link #NONE} (a read: null on the invocation).
 */
public enum ValueKind {
    UNIQUE,
    /**
     * {@code [old, new]}: {@code new} a unique integer from the same sequence as {@link #UNIQUE},
     * {@code old} what this workload last saw the operation's key hold ({@link LastSeen}), so that
     * a cas has a fair chance to succeed while others write; null while nothing was seen.
     */
    CAS,
    NONE
}
