package io.vmcluster.checker;

import io.vmcluster.history.OpFunction;
import io.vmcluster.history.Operation;
import java.util.Collection;

/**
 * A sequential specification for the {@link LinearizableChecker}: the object's states and how each
 * operation moves between them. States must be immutable with {@code equals}/{@code hashCode} (the
 * search memoises on them) and never null.
 *
 * @param <S> the state type
 */
public interface Model<S> {
    /** The functions this model knows; other operations in the history are ignored. */
    boolean handles(OpFunction f);

    /** The state before any operation. */
    S init();

    /**
     * The state after {@code op} took effect in {@code state}, or null when it cannot have happened
     * there (a read of another value, a cas whose old value does not match). For an {@code ok}
     * operation the output is {@link Operation#value()}; an {@code info} operation is asked only for
     * its effect (reads with unknown results are never stepped).
     */
    S step(S state, Operation op);

    /**
     * A state standing for "whatever {@code earlier} could have left", starting from {@code init}:
     * used to show a short window of a non-linearizable history that fails whatever came before it.
     * Null when the model cannot say (then the window starts at the history's start).
     */
    default S anyAfter(S init, Collection<Operation> earlier) {
        return null;
    }

    /** True when an operation's outcome carries no information unless it is {@code ok} (reads). */
    boolean readOnly(Operation op);

    /** A state for messages. */
    default String describe(S state) {
        return String.valueOf(state);
    }
}
