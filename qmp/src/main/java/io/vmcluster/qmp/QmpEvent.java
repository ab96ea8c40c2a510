package io.vmcluster.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;

/**
 * An asynchronous QMP event, e.g. {@code STOP}, {@code RESUME}, {@code SHUTDOWN}. The events
 * vmcluster acts on have a {@link #type()}; the name is kept for every other one.
 *
 * @param name the event name
 * @param data the event's {@code data} (an empty object when QEMU sent none)
 * @param timestamp QEMU's timestamp for the event
 */
public record QmpEvent(String name, JsonNode data, Instant timestamp) {
    /** The event's type, if it is one of {@link QmpEventType}. */
    public Optional<QmpEventType> type() {
        return QmpEventType.of(name);
    }

    /** Whether this is an event of type {@code type}. */
    public boolean is(QmpEventType type) {
        return type.wireName().equals(name);
    }

    /** A text field of {@code data}, or null. */
    public String dataText(String field) {
        JsonNode value = data.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
