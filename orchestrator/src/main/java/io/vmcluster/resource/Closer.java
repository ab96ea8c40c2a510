package io.vmcluster.resource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The one way vmcluster undoes several things at once: every action runs whatever the ones before
 * threw (Errors included: an OutOfMemoryError in one close must not leave a namespace behind), the
 * first failure is kept and the later ones are added to it as suppressed, and {@link
 * #throwIfFailed()} throws it after all ran. {@link #closeInReverse} is the common case: close in
 * the reverse order of opening.
 *
 * <pre>{@code
 * Closer closer = new Closer();
 * for (Node n : reversed) closer.run(n::close);
 * closer.throwIfFailed();
 * }</pre>
 */
public final class Closer {
    /** An action that may throw anything. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    private Throwable first;

    /** Runs {@code action}; a failure is kept (the first) or suppressed into the first. */
    public Closer run(Action action) {
        try {
            action.run();
        } catch (Throwable t) {
            add(t);
        }
        return this;
    }

    /**
     * Runs {@code action}; an exception is kept as an {@link IllegalStateException} saying {@code
     * what} failed (e.g. {@code closing tap t-node1-0 of run r1}), an Error as is.
     */
    public Closer run(String what, Action action) {
        try {
            action.run();
        } catch (Exception e) {
            add(new IllegalStateException(what + " failed", e));
        } catch (Throwable t) {
            add(t);
        }
        return this;
    }

    /** Keeps {@code failure} as the first, or suppresses it into the first. */
    public Closer add(Throwable failure) {
        if (first == null) {
            first = failure;
        } else if (first != failure) {
            first.addSuppressed(failure);
        }
        return this;
    }

    /** The first failure so far, if any. */
    public Throwable failure() {
        return first;
    }

    /**
     * Throws the first failure, if any: a RuntimeException or Error as is, anything else wrapped in
     * an {@link IllegalStateException}.
     */
    public void throwIfFailed() {
        if (first instanceof RuntimeException re) {
            throw re;
        }
        if (first instanceof Error err) {
            throw err;
        }
        if (first != null) {
            throw new IllegalStateException(first.getMessage(), first);
        }
    }

    /** Closes every item, last first, then throws the first failure (see {@link #throwIfFailed()}). */
    public static void closeInReverse(List<? extends AutoCloseable> items) {
        List<? extends AutoCloseable> reversed = new ArrayList<>(items);
        Collections.reverse(reversed);
        Closer closer = new Closer();
        for (AutoCloseable item : reversed) {
            closer.run(item::close);
        }
        closer.throwIfFailed();
    }
}
