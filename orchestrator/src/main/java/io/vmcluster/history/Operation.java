package io.vmcluster.history;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * An invocation paired with its completion, the unit checkers reason about. An invocation the
 * history never completed (the run was killed, the workload ended with it outstanding) counts as
 * {@code info}: it may or may not have happened.
 *
 * @param invoke the invocation line
 * @param completion the completion line, or null when there is none
 */
public record Operation(Op invoke, Op completion) {
    public Operation {
        Objects.requireNonNull(invoke, "invoke");
        if (!invoke.isInvoke()) {
            throw new IllegalArgumentException("not an invocation: " + invoke.describe());
        }
        if (completion != null && !completion.type().isCompletion()) {
            throw new IllegalArgumentException("not a completion: " + completion.describe());
        }
    }

    public long process() {
        return invoke.process();
    }

    public OpFunction f() {
        return invoke.f();
    }

    public JsonNode key() {
        return invoke.key();
    }

    public String node() {
        return invoke.node();
    }

    /** {@code ok}, {@code fail} or {@code info}; {@code info} when there is no completion. */
    public OpType type() {
        return completion == null ? OpType.INFO : completion.type();
    }

    public boolean isOk() {
        return type() == OpType.OK;
    }

    public boolean isFail() {
        return type() == OpType.FAIL;
    }

    /** {@code info}, or never completed. */
    public boolean isIndeterminate() {
        return type() == OpType.INFO;
    }

    /** The value the invocation asked for (a write's value, a cas's {@code [old, new]}). */
    public JsonNode input() {
        return invoke.value();
    }

    /** The value an {@code ok} completion returned (a read's value), else the invocation's. */
    public JsonNode value() {
        return completion != null && completion.isOk() ? completion.value() : invoke.value();
    }

    public long invokeTime() {
        return invoke.time();
    }

    /** When it completed, or {@link Long#MAX_VALUE} when it never did. */
    public long completeTime() {
        return completion == null ? Long.MAX_VALUE : completion.time();
    }

    /** Line index of the completion, or {@link Long#MAX_VALUE} when there is none. */
    public long completeIndex() {
        return completion == null ? Long.MAX_VALUE : completion.index();
    }

    /** Latency in nanoseconds, or -1 when it never completed. */
    public long latency() {
        return completion == null ? -1 : completion.time() - invoke.time();
    }

    /** True when this completed before {@code other} was invoked (real-time order). */
    public boolean precedes(Operation other) {
        return completion != null && completion.index() < other.invoke.index();
    }

    /** {@code p3 write 7 ok [12.100 s - 12.180 s] on node2}, for messages. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        s.append('p').append(process()).append(' ').append(f());
        if (key() != null) {
            s.append(" key ").append(Values.show(key()));
        }
        JsonNode v = value();
        if (!v.isNull() || isOk()) {
            s.append(' ').append(Values.show(v));
        }
        s.append(' ').append(completion == null ? "never completed" : type().wireName());
        s.append(" [").append(Times.seconds(invokeTime())).append(" - ");
        s.append(completion == null ? "..." : Times.seconds(completeTime())).append(']');
        if (node() != null) {
            s.append(" on ").append(node());
        }
        if (completion != null && completion.error() != null) {
            s.append(" (").append(completion.error()).append(')');
        }
        return s.toString();
    }
}
