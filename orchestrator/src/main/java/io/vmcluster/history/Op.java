package io.vmcluster.history;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One operation line of a history, with Jepsen's fields: an invocation ({@code type} {@link
 * OpType#INVOKE}) or its completion ({@code ok}, {@code fail}, {@code info}).
 *
 * <p>Values by function (see {@link OpFunction}): register {@code write v}, {@code read v} (null on
 * the invocation, the value read on {@code ok}), {@code cas [old, new]}; set {@code add v},
 * {@code read [v...]}; queue {@code enqueue v}, {@code dequeue v} (null on the invocation and for an
 * empty queue); counter {@code add n}, {@code read n}; unique ids {@code generate} (the id on
 * {@code ok}).
 *
 * @param index position among the history's operation lines, from 0, dense and in file order
 * @param time nanoseconds since the workload started (the host's monotonic clock)
 * @param process the logical client; one operation at a time, never reused after {@code info}
 * @param type invocation or completion
 * @param f what the operation does
 * @param key the independent key it concerns, or null when the workload has one object
 * @param value the operation's value in canonical form ({@link Values}); {@link Values#NULL} for none
 * @param node the node the request went to, or null
 * @param error the raw error of a {@code fail} or {@code info} completion (exit code, HTTP status,
 *     exception text), or null
 */
public record Op(
        long index,
        long time,
        long process,
        OpType type,
        OpFunction f,
        JsonNode key,
        JsonNode value,
        String node,
        String error)
        implements HistoryEntry {
    public Op {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(f, "f");
        if (index < 0) {
            throw new IllegalArgumentException("index " + index + " is negative");
        }
        if (process < 0) {
            throw new IllegalArgumentException("process " + process + " is negative");
        }
        key = key == null || key.isNull() ? null : Values.canonical(key);
        value = Values.canonical(value);
        if (type == OpType.INVOKE || type == OpType.OK) {
            error = null;
        }
    }

    public boolean isInvoke() {
        return type == OpType.INVOKE;
    }

    public boolean isOk() {
        return type == OpType.OK;
    }

    public boolean isFail() {
        return type == OpType.FAIL;
    }

    public boolean isInfo() {
        return type == OpType.INFO;
    }

    /** {@code p3 ok write 7} (with {@code key k1} and {@code on node2} when present), for messages. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        s.append('p')
                .append(process)
                .append(' ')
                .append(type.wireName())
                .append(' ')
                .append(f);
        if (key != null) {
            s.append(" key ").append(Values.show(key));
        }
        if (!value.isNull() || f.equals(OpFunction.READ) && type == OpType.OK) {
            s.append(' ').append(Values.show(value));
        }
        if (node != null) {
            s.append(" on ").append(node);
        }
        if (error != null) {
            s.append(" (").append(error).append(')');
        }
        return s.toString();
    }
}
