package io.vmcluster.checker;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.history.History;
import io.vmcluster.history.HistoryEntry;
import io.vmcluster.history.Op;
import io.vmcluster.history.OpFunction;
import io.vmcluster.history.OpType;
import io.vmcluster.history.Probe;
import io.vmcluster.history.Values;
import java.util.ArrayList;
import java.util.List;

/** Hand-written histories for checker tests: lines in the order written, time in seconds. */
final class H {
    private final List<HistoryEntry> lines = new ArrayList<>();
    private long index;
    private long time;
    private JsonNode key;

    /** Moves the clock to {@code seconds} (it never goes back). */
    H at(double seconds) {
        time = Math.max(time, Math.round(seconds * 1e9));
        return this;
    }

    /** Operations that follow concern {@code k} (null: none). */
    H key(Object k) {
        key = k == null ? null : Values.fromJava(k);
        return this;
    }

    private long tick() {
        time += 1_000_000; // 1 ms per line unless at() says otherwise
        return time;
    }

    Op invoke(long process, String f, Object value) {
        Op op = new Op(
                index++, tick(), process, OpType.INVOKE, OpFunction.of(f), key, Values.fromJava(value), null, null);
        lines.add(op);
        return op;
    }

    Op invokeOn(String node, long process, String f, Object value) {
        Op op = new Op(
                index++, tick(), process, OpType.INVOKE, OpFunction.of(f), key, Values.fromJava(value), node, null);
        lines.add(op);
        return op;
    }

    Op ok(Op inv) {
        return complete(inv, OpType.OK, inv.value(), null);
    }

    Op ok(Op inv, Object value) {
        return complete(inv, OpType.OK, Values.fromJava(value), null);
    }

    Op fail(Op inv) {
        return complete(inv, OpType.FAIL, inv.value(), "refused");
    }

    Op info(Op inv) {
        return complete(inv, OpType.INFO, inv.value(), "timeout");
    }

    private Op complete(Op inv, OpType type, JsonNode value, String error) {
        Op op = new Op(index++, tick(), inv.process(), type, inv.f(), inv.key(), value, inv.node(), error);
        lines.add(op);
        return op;
    }

    /** invoke + ok, sequentially. */
    H done(long process, String f, Object value) {
        ok(invoke(process, f, value));
        return this;
    }

    /** invoke + ok with a result value. */
    H done(long process, String f, Object value, Object result) {
        ok(invoke(process, f, value), result);
        return this;
    }

    /** A leader-status sample. */
    H leader(String node, long term, String leader) {
        lines.add(
                new Probe(tick(), node, OpFunction.LEADER_STATUS, Values.object("term", term, "leader", leader), null));
        return this;
    }

    /** A leader-status sample with any value, e.g. {@code "term", 2, "isLeader", true}. */
    H status(String node, Object... namesAndValues) {
        lines.add(new Probe(tick(), node, OpFunction.LEADER_STATUS, Values.object(namesAndValues), null));
        return this;
    }

    /** A sample that got no answer. */
    H silent(String node) {
        lines.add(new Probe(tick(), node, OpFunction.LEADER_STATUS, null, "timeout"));
        return this;
    }

    History build() {
        return History.of(lines);
    }

    static FaultWindow fault(String id, String kind, String target, double from, double to) {
        return new FaultWindow(id, kind, target, null, null, Math.round(from * 1e9), Math.round(to * 1e9));
    }
}
