package io.vmcluster.checker;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.history.History;
import io.vmcluster.history.Operation;
import io.vmcluster.history.Times;
import io.vmcluster.history.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Linearizability of each independent key against a {@link Model} (by default a {@link
 * RegisterModel}), with the {@link WglSearch}. Per key: {@code fail} operations are dropped (they
 * did not happen); {@code info} operations and those never completed may take effect at any time
 * after their invocation, or never; reads whose result is unknown are dropped.
 *
 * <p>The search is bounded: by {@code max-configs} remembered configurations per key and a {@code
 * time-limit} for the whole check. A key whose search ran out is {@code unknown} (with which limit),
 * never valid.
 *
 * <p>For a key that is not linearizable, the verdict shows a short window: the shortest prefix of
 * the key's history that is already not linearizable (the operation that ends it is the first that
 * cannot be placed), started as late as possible such that its operations cannot be linearized
 * whatever the earlier ones left in the register (the window starts from "any value written
 * before"; earlier operations still running are optional), with the reads it does not need removed.
 */
public final class LinearizableChecker implements Checker {
    public static final String NAME = "linearizable";
    private static final int PRUNE_LIMIT = 200;
    private static final long WINDOW_CONFIGS = 100_000;
    private static final Duration WINDOW_TIME = Duration.ofSeconds(3);

    private final Model<Object> model;
    private final long maxConfigs;
    private final Duration timeLimit;

    public LinearizableChecker(Model<Object> model, long maxConfigs, Duration timeLimit) {
        this.model = model;
        this.maxConfigs = maxConfigs;
        this.timeLimit = timeLimit;
    }

    /** A register starting at null, 2,000,000 configurations per key, one minute in all. */
    public static LinearizableChecker register() {
        return new LinearizableChecker(new RegisterModel(Values.NULL), 2_000_000, Duration.ofMinutes(1));
    }

    static LinearizableChecker from(CheckerOptions o) {
        String initial = o.text("initial", "null");
        JsonNode init;
        try {
            init = new com.fasterxml.jackson.databind.ObjectMapper().readTree(initial);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(
                    "checker linearizable: option initial is '" + initial + "'; expected a JSON value like 0 or null");
        }
        return new LinearizableChecker(
                new RegisterModel(init),
                o.number("max-configs", 2_000_000),
                o.duration("time-limit", Duration.ofMinutes(1)));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verdict check(History history, FaultWindows faults) {
        Map<JsonNode, List<Operation>> byKey = history.byKey(o -> model.handles(o.f()));
        if (byKey.isEmpty()) {
            return Verdict.unknown(NAME, "the history has no read, write or cas operations", Map.of());
        }
        for (List<Operation> ops : byKey.values()) {
            for (Operation o : ops) {
                String bad = RegisterModel.malformed(o);
                if (bad != null && model instanceof RegisterModel) {
                    return Verdict.unknown(NAME, bad, Map.of());
                }
            }
        }
        long deadline = System.nanoTime() + timeLimit.toNanos();
        WglSearch.Budget budget = new WglSearch.Budget(maxConfigs, deadline);
        List<Map.Entry<JsonNode, List<Operation>>> keys = new ArrayList<>(byKey.entrySet());
        List<Verdict> perKey = keys.parallelStream()
                .map(e -> checkKey(e.getKey(), e.getValue(), budget, faults))
                .toList();
        return perKey.size() == 1 ? perKey.get(0) : Verdicts.combine(NAME, perKey);
    }

    private Verdict checkKey(JsonNode key, List<Operation> ops, WglSearch.Budget budget, FaultWindows faults) {
        String k = Ops.keyPrefix(key);
        List<WglSearch.Call> calls = calls(ops, Long.MAX_VALUE);
        WglSearch<Object> search = new WglSearch<>(model);
        long t0 = System.nanoTime();
        WglSearch.Result r = search.run(model.init(), calls, budget);
        Map<String, Object> d = new LinkedHashMap<>();
        if (key != null) {
            d.put("key", key);
        }
        d.put("op-count", ops.size());
        d.put("checked-count", calls.size());
        d.put("configs", r.configs());
        d.put("ms", (System.nanoTime() - t0) / 1_000_000);
        switch (r.outcome()) {
            case LINEARIZABLE -> {
                return Verdict.valid(NAME, k + Ops.plural(calls.size(), "operation") + " linearizable", d);
            }
            case GAVE_UP -> {
                String why = r.why().equals("time")
                        ? "the time limit of " + io.vmcluster.time.Durations.format(timeLimit) + " (time-limit) ran out"
                        : "the search remembered " + maxConfigs + " configurations (max-configs)";
                return Verdict.unknown(
                        NAME,
                        k + "not known whether " + Ops.plural(calls.size(), "operation") + " are linearizable: " + why
                                + "; raise the limit or check fewer operations per key",
                        d);
            }
            default -> {
                return explain(k, d, ops, budget, faults);
            }
        }
    }

    /** The calls of a prefix cut after line {@code cut}: later completions become unknown, later invocations absent. */
    private List<WglSearch.Call> calls(List<Operation> ops, long cut) {
        List<WglSearch.Call> calls = new ArrayList<>();
        for (Operation o : ops) {
            if (o.isFail() || o.invoke().index() > cut) {
                continue;
            }
            boolean known = o.isOk() && o.completeIndex() <= cut;
            if (!known && model.readOnly(o)) {
                continue; // a read whose result is unknown says nothing
            }
            calls.add(new WglSearch.Call(o, o.invoke().index(), known ? o.completeIndex() : Long.MAX_VALUE));
        }
        return calls;
    }

    private boolean fails(Object start, List<WglSearch.Call> calls, WglSearch.Budget budget) {
        WglSearch.Result r = new WglSearch<>(model).run(start, calls, budget);
        if (r.outcome() == WglSearch.Outcome.GAVE_UP) {
            throw new GaveUp();
        }
        return r.outcome() == WglSearch.Outcome.NOT_LINEARIZABLE;
    }

    private static final class GaveUp extends RuntimeException {
        GaveUp() {
            super(null, null, false, false);
        }
    }

    private Verdict explain(
            String k, Map<String, Object> d, List<Operation> ops, WglSearch.Budget checkBudget, FaultWindows faults) {
        // the window is a courtesy: it gets a few seconds and small searches, and shows the best
        // window proven so far when they run out
        WglSearch.Budget budget = new WglSearch.Budget(
                Math.min(maxConfigs, WINDOW_CONFIGS),
                Math.min(checkBudget.deadline() - System.nanoTime(), WINDOW_TIME.toNanos()) + System.nanoTime());
        List<Operation> okByCompletion = ops.stream()
                .filter(Operation::isOk)
                .sorted(Comparator.comparingLong(Operation::completeIndex))
                .toList();
        Window w = new Window(null, ops, model.init(), -1);
        try {
            // 1. the shortest failing prefix: non-linearizability only grows with the prefix
            int lo = 0;
            int hi = okByCompletion.size() - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (fails(model.init(), calls(ops, okByCompletion.get(mid).completeIndex()), budget)) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            Operation last = okByCompletion.get(lo);
            long cut = last.completeIndex();
            List<Operation> prefix = ops.stream()
                    .filter(o -> o.invoke().index() <= cut && !o.isFail())
                    .toList();
            w = new Window(last, prefix, model.init(), -1);
            // 2. start it as late as possible
            List<Long> starts = prefix.stream()
                    .filter(o -> o.isOk() && o.completeIndex() < last.invoke().index())
                    .map(Operation::completeIndex)
                    .sorted()
                    .toList();
            int bad = -1; // index into starts of a start known to fail (none: the whole prefix)
            int good = starts.size(); // a start known to pass (past the end: the empty window)
            for (int step = 1; good > 0; step *= 2) {
                int i = Math.max(0, good - step);
                Window candidate = window(last, prefix, starts.get(i));
                if (candidate.fails(budget)) {
                    bad = i;
                    w = candidate;
                    break;
                }
                good = i;
            }
            if (bad >= 0) {
                int b = bad;
                int g = good;
                while (g - b > 1) {
                    int mid = (b + g) >>> 1;
                    Window candidate = window(last, prefix, starts.get(mid));
                    if (candidate.fails(budget)) {
                        b = mid;
                        w = candidate;
                    } else {
                        g = mid;
                    }
                }
            }
            // 3. drop the reads it does not need
            w = w.pruned(budget);
        } catch (GaveUp e) {
            d.put(
                    "window-note",
                    "the search for a shorter window ran out of its budget; this one is the shortest found");
        }
        return w.verdict(k, d, faults);
    }

    /** The window whose operations are those of {@code prefix} that completed after line {@code start}. */
    private Window window(Operation last, List<Operation> prefix, long start) {
        List<Operation> earlier = new ArrayList<>();
        List<Operation> in = new ArrayList<>();
        for (Operation o : prefix) {
            if (o.isOk() && o.completeIndex() <= start) {
                earlier.add(o);
            } else {
                in.add(o);
            }
        }
        Object from = model.anyAfter(model.init(), earlier);
        if (from == null) {
            return new Window(last, prefix, model.init(), -1);
        }
        long firstInvoke = in.stream().mapToLong(o -> o.invoke().index()).min().orElse(start);
        List<Operation> optional = earlier.stream()
                .filter(o -> o.completeIndex() > firstInvoke && !model.readOnly(o))
                .toList();
        List<Operation> all = new ArrayList<>(in);
        all.addAll(optional);
        return new Window(last, all, from, optional.size()).withOptional(optional);
    }

    /** A candidate window: its operations (some optional), the state it starts from, the op that ends it. */
    private final class Window {
        final Operation last;
        final List<Operation> ops;
        final Object from;
        final int optionalCount;
        List<Operation> optional = List.of();

        Window(Operation last, List<Operation> ops, Object from, int optionalCount) {
            this.last = last;
            this.ops = ops;
            this.from = from;
            this.optionalCount = optionalCount;
        }

        Window withOptional(List<Operation> o) {
            this.optional = o;
            return this;
        }

        List<WglSearch.Call> calls() {
            long cut = last == null ? Long.MAX_VALUE : last.completeIndex();
            List<WglSearch.Call> out = new ArrayList<>();
            for (Operation o : ops) {
                if (optional.contains(o)) {
                    out.add(new WglSearch.Call(o, o.invoke().index(), Long.MAX_VALUE));
                    continue;
                }
                boolean known = o.isOk() && o.completeIndex() <= cut;
                if (!known && model.readOnly(o)) {
                    continue;
                }
                out.add(new WglSearch.Call(o, o.invoke().index(), known ? o.completeIndex() : Long.MAX_VALUE));
            }
            return out;
        }

        boolean fails(WglSearch.Budget budget) {
            return LinearizableChecker.this.fails(from, calls(), budget);
        }

        Window pruned(WglSearch.Budget budget) {
            if (last == null || ops.size() > PRUNE_LIMIT) {
                return this;
            }
            List<Operation> kept = new ArrayList<>(ops);
            for (Operation o : ops) {
                if (o == last || !model.readOnly(o) || !o.isOk()) {
                    continue;
                }
                List<Operation> without = new ArrayList<>(kept);
                without.remove(o);
                Window smaller = new Window(last, without, from, optionalCount).withOptional(optional);
                if (smaller.fails(budget)) {
                    kept = without;
                }
            }
            return new Window(last, kept, from, optionalCount).withOptional(optional);
        }

        Verdict verdict(String k, Map<String, Object> d, FaultWindows faults) {
            List<Operation> shown = new ArrayList<>(ops);
            shown.sort(Comparator.comparingLong(o -> o.invoke().index()));
            long begin = shown.stream().mapToLong(Operation::invokeTime).min().orElse(0);
            long end = last != null
                    ? last.completeTime()
                    : shown.stream()
                            .mapToLong(o -> o.completion() == null ? o.invokeTime() : o.completeTime())
                            .max()
                            .orElse(0);
            StringBuilder s = new StringBuilder(k);
            s.append("not linearizable: no order of these ").append(Ops.plural(shown.size(), "operation"));
            s.append(" (").append(Times.shortSeconds(begin)).append(" - ").append(Times.shortSeconds(end));
            s.append(") agrees with real time and a register starting at ").append(model.describe(from));
            if (!optional.isEmpty()) {
                s.append(" (")
                        .append(Ops.plural(optional.size(), "operation"))
                        .append(" that ended just before it may take effect in it)");
            }
            s.append(": ");
            s.append(shown.stream()
                    .map(o -> (o == last ? "*" : "") + o.describe())
                    .collect(Collectors.joining("; ")));
            if (last != null) {
                s.append(". The first operation that cannot be placed (*) completed at ")
                        .append(Times.shortSeconds(last.completeTime()))
                        .append(faults.during(last.completeTime()));
            }
            d.put("window-start", begin);
            d.put("window-end", end);
            d.put("window-from", model.describe(from));
            d.put("window", shown.stream().map(Operation::describe).toList());
            return new Verdict(NAME, Validity.INVALID, s.toString(), Ops.lines(shown), d);
        }
    }
}
