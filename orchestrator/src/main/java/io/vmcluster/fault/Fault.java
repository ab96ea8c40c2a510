package io.vmcluster.fault;

import java.time.Instant;
import java.util.Map;

/**
 * A fault in effect: applied when the handle is created, undone when it is closed. Closing twice
 * is harmless. {@link Faults} keeps every open handle so that {@link Faults#heal()} and {@link
 * Faults#close()} can undo what a test forgot.
 *
 * <pre>{@code
 * try (Fault cut = faults.partition(List.of("node1"), List.of("node2", "node3"))) {
 *     // node1 cannot reach node2 or node3, and they cannot reach it
 * }
 * }</pre>
 */
public interface Fault extends AutoCloseable {
    /** Short id unique within the run ({@code f7}); appears in the fault's events. */
    String id();

    FaultKind kind();

    /** The node(s) concerned, e.g. {@code node2} or {@code node1->node3}, or {@code cluster}. */
    String target();

    /** The parameters the fault was applied with, as recorded in its start event. */
    Map<String, Object> params();

    /** When the fault was in effect (after the apply call returned). */
    Instant startedAt();

    /** True until the fault has been undone. */
    boolean active();

    /** Undoes the fault; does nothing if already undone. Failures are thrown as {@link FaultException}. */
    @Override
    void close();
}
