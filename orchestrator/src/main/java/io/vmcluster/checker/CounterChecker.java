package io.vmcluster.checker;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.history.History;
import io.vmcluster.history.OpFunction;
import io.vmcluster.history.Operation;
import io.vmcluster.history.Times;
import io.vmcluster.history.Values;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A counter that starts at {@code initial} (0), with {@code add n} and {@code read n}: every {@code
 * ok} read must lie between the sum of the increments certainly applied before it began (the {@code
 * ok} adds completed before its invocation) and the sum of those that may have been applied before it
 * ended (every add, {@code ok}, {@code info} or never completed, invoked before its completion;
 * {@code fail}s excluded). Negative adds swap their roles in the bounds. Per key.
 */
public final class CounterChecker implements Checker {
    public static final String NAME = "counter";
    private final long initial;

    public CounterChecker(long initial) {
        this.initial = initial;
    }

    static CounterChecker from(CheckerOptions o) {
        return new CounterChecker(o.number("initial", 0));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verdict check(History history, FaultWindows faults) {
        Map<JsonNode, List<Operation>> byKey =
                history.byKey(o -> o.f().equals(OpFunction.ADD) || o.f().equals(OpFunction.READ));
        if (byKey.isEmpty()) {
            return Verdict.unknown(NAME, "the history has no add or read operations", Map.of());
        }
        List<Verdict> perKey = new ArrayList<>();
        byKey.forEach((k, ops) -> perKey.add(checkKey(k, ops, faults)));
        return perKey.size() == 1 ? perKey.get(0) : Verdicts.combine(NAME, perKey);
    }

    private record Bounds(Operation read, long lower, long value, long upper) {}

    private Verdict checkKey(JsonNode key, List<Operation> ops, FaultWindows faults) {
        String k = Ops.keyPrefix(key);
        // events in line order: invocations and completions
        record Event(long index, Operation op, boolean invoke) {}
        List<Event> events = new ArrayList<>();
        for (Operation o : ops) {
            if (o.f().equals(OpFunction.ADD)) {
                OptionalLong n = Values.asLong(o.input());
                if (n.isEmpty()) {
                    return Verdict.unknown(
                            NAME,
                            k + "history line " + o.invoke().index() + ": an add's value must be an integer, not "
                                    + Values.show(o.input()),
                            Map.of());
                }
            }
            events.add(new Event(o.invoke().index(), o, true));
            if (o.completion() != null) {
                events.add(new Event(o.completeIndex(), o, false));
            }
        }
        events.sort(Comparator.comparingLong(Event::index));
        long okPos = 0; // ok positive adds completed
        long okNeg = 0; // ok negative adds completed
        long maybePos = 0; // positive adds invoked that did not fail
        long maybeNeg = 0; // negative adds invoked that did not fail
        Map<Operation, long[]> atInvoke = new LinkedHashMap<>();
        List<Bounds> reads = new ArrayList<>();
        List<Bounds> errors = new ArrayList<>();
        for (Event e : events) {
            Operation o = e.op();
            if (o.f().equals(OpFunction.ADD)) {
                long n = Values.asLong(o.input()).getAsLong();
                if (e.invoke() && !o.isFail()) {
                    if (n >= 0) maybePos += n;
                    else maybeNeg += n;
                } else if (!e.invoke() && o.isOk()) {
                    if (n >= 0) okPos += n;
                    else okNeg += n;
                }
            } else if (e.invoke()) {
                atInvoke.put(o, new long[] {okPos, okNeg});
            } else if (o.isOk()) {
                long[] before = atInvoke.get(o);
                OptionalLong v = Values.asLong(o.value());
                long lower = initial + before[0] + maybeNeg;
                long upper = initial + maybePos + before[1];
                if (v.isEmpty()) {
                    return Verdict.unknown(
                            NAME,
                            k + "history line " + o.completeIndex()
                                    + ": a counter read's value must be an integer, not " + Values.show(o.value()),
                            Map.of());
                }
                Bounds b = new Bounds(o, lower, v.getAsLong(), upper);
                reads.add(b);
                if (b.value() < lower || b.value() > upper) {
                    errors.add(b);
                }
            }
        }
        Map<String, Object> d = new LinkedHashMap<>();
        if (key != null) {
            d.put("key", key);
        }
        d.put("read-count", reads.size());
        d.put("error-count", errors.size());
        d.put(
                "errors",
                errors.stream()
                        .limit(20)
                        .map(b -> List.of(b.lower(), b.value(), b.upper()))
                        .toList());
        if (reads.isEmpty()) {
            return Verdict.unknown(NAME, k + "no read succeeded", d);
        }
        if (errors.isEmpty()) {
            return Verdict.valid(NAME, k + "all " + Ops.plural(reads.size(), "read") + " within bounds", d);
        }
        Bounds first = errors.get(0);
        String s = k + errors.size() + " of " + Ops.plural(reads.size(), "read") + " out of bounds; the first read "
                + first.value() + " where only " + first.lower() + " to " + first.upper()
                + " is possible: " + first.read().describe()
                + faults.during(first.read().invokeTime());
        return new Verdict(NAME, Validity.INVALID, s, Ops.lines(List.of(first.read())), d);
    }

    static String at(long t) {
        return Times.shortSeconds(t);
    }
}
