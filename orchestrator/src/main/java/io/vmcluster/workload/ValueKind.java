package io.vmcluster.workload;

/**
 * What value an operation's invocation carries: {@link #UNIQUE} integers (1, 2, 3, ... across the
 * whole workload, so every add or write is told apart), or {@link #NONE} (a read: null on the
 * invocation).
 */
public enum ValueKind {
    UNIQUE,
    NONE
}
