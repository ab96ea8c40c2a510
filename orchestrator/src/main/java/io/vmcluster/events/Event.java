package io.vmcluster.events;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One thing that happened during a run: a step started, a fault was applied, a node changed
 * state, a command ran. Serialised as one JSON line in {@code events.jsonl}.
 *
 * @param time when it happened
 * @param kind what kind of thing, as its wire name ({@code step.start}, {@code fault.start}); one of
 *     {@link EventKind}'s, though a file from another version may hold others
 * @param node the node concerned, or null for cluster-wide events
 * @param fields anything else worth keeping (parameters, exit codes, durations); never named time,
 *     kind or node
 */
public record Event(Instant time, String kind, String node, Map<String, Object> fields) {
    public Event {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(kind, "kind");
        fields = fields == null ? Map.of() : Map.copyOf(fields);
        for (String reserved : ENVELOPE) {
            if (fields.containsKey(reserved)) {
                // events.jsonl writes time, kind and node beside the fields: one would replace the other
                throw new IllegalArgumentException("event " + kind + ": a field may not be called '" + reserved
                        + "' (time, kind and node are the event's own); fields: " + fields.keySet());
            }
        }
    }

    /** The names every line of events.jsonl starts with, which no field may have. */
    public static final java.util.Set<String> ENVELOPE = java.util.Set.of("time", "kind", "node");

    /** The kind as the one typed set ({@link EventKind#OTHER} for a kind this version does not know). */
    public EventKind type() {
        return EventKind.of(kind);
    }

    /** True if this event is of {@code kind}. */
    public boolean is(EventKind kind) {
        return this.kind.equals(kind.wireName());
    }

    public static Event now(String kind, String node, Map<String, Object> fields) {
        return new Event(Instant.now(), kind, node, fields);
    }
}
