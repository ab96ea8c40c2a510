package io.vmcluster.fault;

/**
 * A fault could not be applied or undone. The message names the node, the fault and the reason
 * (the command that failed, its exit code and output).
 */
public final class FaultException extends RuntimeException {
    private final String node;
    private final FaultKind kind;

    public FaultException(FaultKind kind, String node, String message, Throwable cause) {
        super(kind.wireName() + " on " + node + ": " + message, cause);
        this.node = node;
        this.kind = kind;
    }

    public FaultException(FaultKind kind, String node, String message) {
        this(kind, node, message, null);
    }

    /** The node (or {@code node1->node2}, or {@code cluster}) the fault was aimed at. */
    public String node() {
        return node;
    }

    public FaultKind kind() {
        return kind;
    }
}
