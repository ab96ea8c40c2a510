package io.vmcluster.checker;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.history.Times;
import java.util.Objects;

/**
 * When one fault was (possibly) in effect, on the history's clock.
 *
 * @param id the fault's id in the run ({@code f3})
 * @param kind its kind ({@code partition}, {@code crash}, ...)
 * @param target what it concerned ({@code node2}, {@code [node1] | [node2, node3]})
 * @param node the single node concerned, or null
 * @param params the parameters it was applied with (may be empty)
 * @param start nanoseconds since the workload started when applying began (negative: before the
 *     workload started)
 * @param end when undoing had finished, or {@link Long#MAX_VALUE} when it was never undone; equal
 *     to {@code start} for an instantaneous fault (reset, kill)
 */
public record FaultWindow(String id, String kind, String target, String node, JsonNode params, long start, long end) {
    public FaultWindow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        if (end < start) {
            throw new IllegalArgumentException("fault " + id + " ends before it starts");
        }
    }

    /** True when the fault may have been in effect at {@code time}. */
    public boolean covers(long time) {
        return time >= start && time <= end;
    }

    /** True when the windows [from, to] and this one intersect. */
    public boolean overlaps(long from, long to) {
        return from <= end && to >= start;
    }

    public boolean neverEnded() {
        return end == Long.MAX_VALUE;
    }

    public boolean instantaneous() {
        return end == start;
    }

    /** {@code partition majorities-ring [node1] | [node2, node3]}, {@code crash node2}. */
    public String describe() {
        StringBuilder s = new StringBuilder(kind);
        JsonNode shape = params == null ? null : params.get("shape");
        if (shape != null && shape.isTextual() && !shape.textValue().equals("groups")) {
            s.append(' ').append(shape.textValue());
        }
        if (target != null && !target.isEmpty()) {
            s.append(' ').append(target);
        }
        return s.toString();
    }

    /** {@code crash node2 (f3, 10.2 s - 25.0 s)}. */
    @Override
    public String toString() {
        return describe() + " (" + id + ", " + Times.shortSeconds(start) + " - "
                + (neverEnded() ? "end" : Times.shortSeconds(end)) + ")";
    }
}
