package io.vmcluster.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An asynchronous QMP event, e.g. {@code STOP}, {@code RESUME}, {@code SHUTDOWN}.
 *
 * @param name the event name
 * @param data the event's {@code data} (an empty object when QEMU sent none)
 * @param timestamp QEMU's timestamp for the event
 */
public record QmpEvent(String name, JsonNode data, Instant timestamp) {
    /** A text field of {@code data}, or null. */
    public String dataText(String field) {
        JsonNode value = data.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
