package io.vmcluster.events;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Passes every event on to another sink and keeps a copy of those {@code remember} selects, so code
 * inside a run can read back what happened so far (the scenario runner reads fault windows for the
 * checkers this way) without knowing where, or whether, the events are written.
 */
public final class RememberingSink implements EventSink {
    private final EventSink delegate;
    private final Predicate<Event> remember;
    private final List<Event> kept = new ArrayList<>();

    public RememberingSink(EventSink delegate, Predicate<Event> remember) {
        this.delegate = delegate;
        this.remember = remember;
    }

    @Override
    public void record(Event event) {
        if (remember.test(event)) {
            synchronized (kept) {
                kept.add(event);
            }
        }
        delegate.record(event);
    }

    /** The events kept so far, in the order recorded. */
    public List<Event> kept() {
        synchronized (kept) {
            return List.copyOf(kept);
        }
    }

    @Override
    public void close() {
        delegate.close();
    }
}
