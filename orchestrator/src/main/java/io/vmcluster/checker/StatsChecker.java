package io.vmcluster.checker;

import io.vmcluster.history.History;
import io.vmcluster.history.OpType;
import io.vmcluster.history.Operation;
import io.vmcluster.history.Times;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts and latencies, Jepsen's {@code stats} plus latency quantiles and throughput: per {@code f},
 * how many operations ended {@code ok}, {@code fail} and {@code info} (never completed counts as
 * info), the latency p50/p95/p99/max of the completed ones, and completions per second; all of it
 * also split by period: {@code no-fault} (no fault window covers the invocation) and one per fault
 * window. Valid when every {@code f} has at least one {@code ok}, else unknown (as Jepsen's: a
 * function that never succeeded tested nothing).
 */
public final class StatsChecker implements Checker {
    public static final String NAME = "stats";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verdict check(History history, FaultWindows faults) {
        List<Operation> ops = history.operations();
        if (ops.isEmpty()) {
            return Verdict.unknown(NAME, "the history has no operations", Map.of());
        }
        long span = Math.max(1, history.endTime() - ops.get(0).invokeTime());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("all", stats(ops, span));
        Map<String, Object> byF = new TreeMap<>();
        Map<String, List<Operation>> grouped = byFunction(ops);
        grouped.forEach((f, list) -> byF.put(f, stats(list, span)));
        d.put("by-f", byF);
        Map<String, Object> periods = new LinkedHashMap<>();
        if (!faults.all().isEmpty()) {
            List<Operation> calm = ops.stream()
                    .filter(o -> faults.at(o.invokeTime()).isEmpty())
                    .toList();
            periods.put("no-fault", period(calm, calmSpan(history, ops, faults), "no fault"));
            for (FaultWindow w : faults.all()) {
                List<Operation> in =
                        ops.stream().filter(o -> w.covers(o.invokeTime())).toList();
                long end = w.neverEnded() ? history.endTime() : w.end();
                periods.put(w.id(), period(in, Math.max(1, end - w.start()), w.toString()));
            }
        }
        d.put("by-period", periods);
        List<String> noOk = new ArrayList<>();
        grouped.forEach((f, list) -> {
            if (list.stream().noneMatch(Operation::isOk)) {
                noOk.add(f);
            }
        });
        @SuppressWarnings("unchecked")
        Map<String, Object> all = (Map<String, Object>) d.get("all");
        StringBuilder s = new StringBuilder();
        s.append(all.get("count")).append(" operations: ").append(all.get("ok")).append(" ok, ");
        s.append(all.get("fail")).append(" fail, ").append(all.get("info")).append(" info; ");
        grouped.forEach((f, list) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> st = (Map<String, Object>) byF.get(f);
            s.append(f)
                    .append(" p50 ")
                    .append(st.get("p50-ms"))
                    .append(" ms p99 ")
                    .append(st.get("p99-ms"));
            s.append(" ms ").append(st.get("ok-per-second")).append(" ok/s; ");
        });
        String text = s.substring(0, s.length() - 2);
        if (!noOk.isEmpty()) {
            return Verdict.unknown(NAME, text + "; no " + String.join(", ", noOk) + " ever succeeded", d);
        }
        return Verdict.valid(NAME, text, d);
    }

    private static long calmSpan(History h, List<Operation> ops, FaultWindows faults) {
        long total = Math.max(1, h.endTime() - ops.get(0).invokeTime());
        long faulty = 0;
        long from = Long.MIN_VALUE;
        long to = Long.MIN_VALUE;
        for (FaultWindow w : faults.all()) { // sorted by start: merge overlapping windows
            long end = w.neverEnded() ? h.endTime() : w.end();
            if (w.start() > to) {
                faulty += Math.max(0, to - from);
                from = w.start();
                to = end;
            } else {
                to = Math.max(to, end);
            }
        }
        faulty += Math.max(0, to - from);
        return Math.max(1, total - faulty);
    }

    private static Map<String, Object> period(List<Operation> ops, long span, String what) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("period", what);
        m.putAll(stats(ops, span));
        return m;
    }

    static Map<String, Object> stats(List<Operation> ops, long spanNanos) {
        int ok = 0;
        int fail = 0;
        int info = 0;
        long[] lat = new long[ops.size()];
        int n = 0;
        for (Operation o : ops) {
            OpType t = o.type();
            switch (t) {
                case OK -> ok++;
                case FAIL -> fail++;
                default -> info++;
            }
            if (o.latency() >= 0) {
                lat[n++] = o.latency();
            }
        }
        long[] sorted = Arrays.copyOf(lat, n);
        Arrays.sort(sorted);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", ops.size());
        m.put("ok", ok);
        m.put("fail", fail);
        m.put("info", info);
        m.put("p50-ms", millis(quantile(sorted, 0.50)));
        m.put("p95-ms", millis(quantile(sorted, 0.95)));
        m.put("p99-ms", millis(quantile(sorted, 0.99)));
        m.put("max-ms", millis(n == 0 ? -1 : sorted[n - 1]));
        double seconds = spanNanos / 1e9;
        m.put("ok-per-second", Math.round(ok / seconds * 10) / 10.0);
        m.put("per-second", Math.round(ops.size() / seconds * 10) / 10.0);
        return m;
    }

    /** The operations grouped by their {@code f}, in name order. */
    static Map<String, List<Operation>> byFunction(List<Operation> ops) {
        Map<String, List<Operation>> grouped = new TreeMap<>();
        for (Operation o : ops) {
            grouped.computeIfAbsent(o.f().name(), f -> new ArrayList<>()).add(o);
        }
        return grouped;
    }

    /** Nearest-rank quantile; -1 for none. */
    static long quantile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return -1;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static Object millis(long nanos) {
        return nanos < 0 ? null : Math.round(nanos / 1e5) / 10.0;
    }

    static String seconds(long t) {
        return Times.shortSeconds(t);
    }
}
