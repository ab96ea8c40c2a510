package io.vmcluster.checker;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.history.History;
import io.vmcluster.history.OpFunction;
import io.vmcluster.history.Operation;
import io.vmcluster.history.Times;
import io.vmcluster.history.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jepsen's total-queue: {@code enqueue v}, {@code dequeue} (the {@code ok} value is the element, null
 * when the queue was empty) and {@code drain} (the {@code ok} value is every element taken).
 *
 * <ul>
 *   <li><b>lost</b>: enqueued {@code ok}, never dequeued — only concluded when a dequeue found the
 *       queue empty after the last enqueue began; otherwise the queue was never drained and the
 *       verdict is unknown;
 *   <li><b>duplicated</b>: dequeued more often than enqueues of it were attempted: invalid, unless
 *       {@code at-least-once=true} (the system only promises at-least-once delivery), when it is
 *       reported only;
 *   <li><b>unexpected</b>: dequeued but never enqueued;
 *   <li><b>recovered</b>: an {@code info} enqueue whose element was dequeued.
 * </ul>
 */
public final class QueueChecker implements Checker {
    public static final String NAME = "queue";
    private final boolean atLeastOnce;

    public QueueChecker(boolean atLeastOnce) {
        this.atLeastOnce = atLeastOnce;
    }

    static QueueChecker from(CheckerOptions o) {
        return new QueueChecker(o.bool("at-least-once", false));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verdict check(History history, FaultWindows faults) {
        Map<JsonNode, Integer> attempts = new LinkedHashMap<>();
        Map<JsonNode, Operation> acked = new LinkedHashMap<>();
        Map<JsonNode, Integer> dequeued = new LinkedHashMap<>();
        Map<JsonNode, Operation> firstDequeue = new LinkedHashMap<>();
        long lastEnqueueInvoke = -1;
        Operation lastEmpty = null;
        int enqueues = 0;
        for (Operation o : history.operations()) {
            if (o.f().equals(OpFunction.ENQUEUE)) {
                enqueues++;
                lastEnqueueInvoke = Math.max(lastEnqueueInvoke, o.invoke().index());
                if (!o.isFail()) {
                    attempts.merge(o.input(), 1, Integer::sum);
                }
                if (o.isOk()) {
                    acked.putIfAbsent(o.input(), o);
                }
            }
        }
        for (Operation o : history.operations()) {
            if (!o.isOk()) {
                continue;
            }
            List<JsonNode> taken = new ArrayList<>();
            if (o.f().equals(OpFunction.DEQUEUE)) {
                if (o.value().isNull()) {
                    if (o.invoke().index() > lastEnqueueInvoke) {
                        lastEmpty = o;
                    }
                    continue;
                }
                taken.add(o.value());
            } else if (o.f().equals(OpFunction.DRAIN)) {
                taken.addAll(Values.elements(o.value()));
                if (o.invoke().index() > lastEnqueueInvoke) {
                    lastEmpty = o; // a drain empties the queue
                }
            }
            for (JsonNode v : taken) {
                dequeued.merge(v, 1, Integer::sum);
                firstDequeue.putIfAbsent(v, o);
            }
        }
        List<JsonNode> lost = new ArrayList<>();
        for (JsonNode v : acked.keySet()) {
            if (!dequeued.containsKey(v)) {
                lost.add(v);
            }
        }
        List<JsonNode> unexpected = new ArrayList<>();
        List<JsonNode> duplicated = new ArrayList<>();
        List<JsonNode> recovered = new ArrayList<>();
        dequeued.forEach((v, n) -> {
            Integer tried = attempts.get(v);
            if (tried == null) {
                unexpected.add(v);
            } else {
                if (n > tried) {
                    duplicated.add(v);
                }
                if (!acked.containsKey(v)) {
                    recovered.add(v);
                }
            }
        });
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("attempt-count", enqueues);
        d.put("acknowledged-count", acked.size());
        d.put(
                "dequeued-count",
                dequeued.values().stream().mapToInt(Integer::intValue).sum());
        d.put("lost-count", lost.size());
        d.put("lost", Ops.sample(lost, 100));
        d.put("duplicated-count", duplicated.size());
        d.put("duplicated", Ops.sample(duplicated, 100));
        d.put("unexpected-count", unexpected.size());
        d.put("unexpected", Ops.sample(unexpected, 100));
        d.put("recovered-count", recovered.size());
        d.put("drained", lastEmpty != null);
        d.put("at-least-once", atLeastOnce);
        List<String> problems = new ArrayList<>();
        List<Operation> involved = new ArrayList<>();
        if (!lost.isEmpty() && lastEmpty != null) {
            Operation first = acked.get(lost.get(0));
            problems.add(lost.size() + " of " + acked.size() + " acknowledged enqueues lost: " + Ops.firstFew(lost)
                    + "; the first acknowledged at " + Times.shortSeconds(first.completeTime())
                    + faults.during(first.completeTime()) + ", and the queue was found empty at "
                    + Times.shortSeconds(lastEmpty.completeTime()));
            involved.add(first);
            involved.add(lastEmpty);
        }
        if (!unexpected.isEmpty()) {
            Operation first = firstDequeue.get(unexpected.get(0));
            problems.add(unexpected.size() + " dequeued elements never enqueued: " + Ops.firstFew(unexpected));
            involved.add(first);
        }
        if (!duplicated.isEmpty() && !atLeastOnce) {
            Operation first = firstDequeue.get(duplicated.get(0));
            problems.add(duplicated.size() + " elements dequeued more often than enqueued: " + Ops.firstFew(duplicated)
                    + " (allow with at-least-once=true if the system only promises at-least-once)");
            involved.add(first);
        }
        String counts = enqueues + " enqueues attempted, " + acked.size() + " acknowledged, " + d.get("dequeued-count")
                + " dequeued, " + recovered.size() + " recovered";
        if (!problems.isEmpty()) {
            return new Verdict(
                    NAME, Validity.INVALID, String.join("; ", problems) + " (" + counts + ")", Ops.lines(involved), d);
        }
        String dupNote = duplicated.isEmpty()
                ? ""
                : "; " + duplicated.size() + " delivered more than once (allowed: at-least-once)";
        if (!lost.isEmpty()) {
            return Verdict.unknown(
                    NAME,
                    lost.size() + " acknowledged enqueues never dequeued, but no dequeue found the"
                            + " queue empty after the last enqueue, so they may still be in it; drain the queue at the end ("
                            + counts + ")" + dupNote,
                    d);
        }
        if (enqueues == 0) {
            return Verdict.unknown(NAME, "the history has no enqueue operations", d);
        }
        return Verdict.valid(
                NAME, "nothing acknowledged was lost, nothing dequeued twice (" + counts + ")" + dupNote, d);
    }
}
