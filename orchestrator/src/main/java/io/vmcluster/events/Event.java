package io.vmcluster.events;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One thing that happened during a run: a step started, a fault was applied, a node changed
 * state, a command ran. Serialised as one JSON line in {@code events.jsonl}.
 *
 * @param time when it happened
 * @param kind what kind of thing, dotted: {@code step.start}, {@code fault.start}, {@code node.state}
 * @param node the node concerned, or null for cluster-wide events
 * @param fields anything else worth keeping (parameters, exit codes, durations)
 */
public record Event(Instant time, String kind, String node, Map<String, Object> fields) {
    public Event {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(kind, "kind");
        fields = fields == null ? Map.of() : Map.copyOf(fields);
    }

    public static Event now(String kind, String node, Map<String, Object> fields) {
        return new Event(Instant.now(), kind, node, fields);
    }
}
