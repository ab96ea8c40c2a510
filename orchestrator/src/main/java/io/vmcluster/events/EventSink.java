package io.vmcluster.events;

import java.util.Map;

/** Where every part of a run records what happened. There is one per run. */
public interface EventSink extends AutoCloseable {
    /** A sink that drops everything, for code used outside a run. */
    EventSink NONE = event -> {};

    void record(Event event);

    /** Records an event of {@code kind} now; {@code node} may be null (cluster-wide). */
    default void record(EventKind kind, String node, Map<String, Object> fields) {
        record(Event.now(kind.wireName(), node, fields));
    }

    @Override
    default void close() {}
}
