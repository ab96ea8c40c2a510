package io.vmcluster.checker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmcluster.history.History;
import io.vmcluster.history.Operation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A benchmark across VMs: throughput and latency (p50/p95/p99) per {@code f}, overall and per
 * node, saved in {@code checks.json} under {@code figures} and {@code by-node}; optionally compared
 * with a baseline, failing when any figure is worse than the baseline by more than the tolerance.
 *
 * <p>Options: {@code baseline=FILE} — a {@code checks.json} of an earlier run (its {@code bench}
 * verdict's figures) or a bare figures object {@code {"add": {"p50-ms": 12.5, ...}}}; read when the
 * checker is built, so a missing file is bad input, not a verdict. {@code tolerance=PCT} (50%):
 * latencies may be up to {@code 1 + PCT} times the baseline's, {@code ok-per-second} down to the
 * baseline's divided by {@code 1 + PCT} (the same ratio both ways). Without a baseline the
 * verdict is valid with the figures (unknown if no operation succeeded).
 */
public final class BenchChecker implements Checker {
    public static final String NAME = "bench";
    static final List<String> LATENCIES = List.of("p50-ms", "p95-ms", "p99-ms");
    static final String THROUGHPUT = "ok-per-second";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Optional<Path> baselineFile;
    private final Map<String, Map<String, Double>> baseline;
    private final double tolerance;

    BenchChecker(Optional<Path> baselineFile, Map<String, Map<String, Double>> baseline, double tolerance) {
        this.baselineFile = baselineFile;
        this.baseline = baseline;
        this.tolerance = tolerance;
    }

    static BenchChecker from(CheckerOptions o) {
        String file = o.text("baseline", null);
        String tol = o.text("tolerance", "50%").strip();
        double tolerance;
        try {
            tolerance = Double.parseDouble(tol.endsWith("%") ? tol.substring(0, tol.length() - 1) : tol) / 100;
        } catch (NumberFormatException e) {
            tolerance = -1;
        }
        if (!(tolerance >= 0 && tolerance <= 10)) {
            throw new IllegalArgumentException(
                    "checker bench: option tolerance is '" + tol + "'; expected a percentage like 25% (0% to 1000%)");
        }
        if (file == null) {
            return new BenchChecker(Optional.empty(), Map.of(), tolerance);
        }
        Path p = Path.of(file);
        return new BenchChecker(Optional.of(p), readBaseline(p), tolerance);
    }

    /** The figures of a baseline file: a checks.json's bench verdict, or a bare figures object. */
    static Map<String, Map<String, Double>> readBaseline(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("checker bench: cannot read the baseline " + file + ": "
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
        }
        JsonNode figures = root;
        if (root != null && root.has("checkers")) {
            figures = null;
            for (JsonNode v : root.get("checkers")) {
                if (NAME.equals(v.path("checker").asText()) && v.path("details").has("figures")) {
                    figures = v.path("details").get("figures");
                }
            }
            if (figures == null) {
                throw new IllegalArgumentException("checker bench: the baseline " + file
                        + " is a checks.json without a bench verdict; run the baseline with checkers: [bench]");
            }
        }
        if (figures == null || !figures.isObject() || figures.isEmpty()) {
            throw new IllegalArgumentException("checker bench: the baseline " + file
                    + " must be a checks.json with a bench verdict or an object {\"F\": {\"p50-ms\": ..., ...}}");
        }
        Map<String, Map<String, Double>> out = new TreeMap<>();
        figures.fields().forEachRemaining(e -> {
            Map<String, Double> m = new LinkedHashMap<>();
            for (String k : concat()) {
                JsonNode v = e.getValue().get(k);
                if (v != null && v.isNumber()) m.put(k, v.asDouble());
            }
            if (m.isEmpty()) {
                throw new IllegalArgumentException("checker bench: the baseline " + file + " gives no figure for '"
                        + e.getKey() + "' (one of " + String.join(", ", concat()) + ")");
            }
            out.put(e.getKey(), m);
        });
        return out;
    }

    private static List<String> concat() {
        List<String> all = new ArrayList<>(LATENCIES);
        all.add(THROUGHPUT);
        return all;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verdict check(History history, FaultWindows faults) {
        List<Operation> ops = history.operations();
        if (ops.isEmpty()) {
            return Verdict.unknown(NAME, "the history has no operations to measure", Map.of());
        }
        long span = Math.max(1, history.endTime() - ops.get(0).invokeTime());
        Map<String, Object> figures = byF(ops, span);
        Map<String, Object> byNode = new TreeMap<>();
        Map<String, List<Operation>> nodes = new TreeMap<>();
        for (Operation o : ops) {
            String n = o.invoke().node();
            nodes.computeIfAbsent(n == null ? "(host)" : n, k -> new ArrayList<>())
                    .add(o);
        }
        nodes.forEach((n, list) -> byNode.put(n, byF(list, span)));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("figures", figures);
        d.put("by-node", byNode);
        d.put("overall", StatsChecker.stats(ops, span));
        StringBuilder text = new StringBuilder();
        figures.forEach((f, m) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> s = (Map<String, Object>) m;
            text.append(text.length() == 0 ? "" : "; ")
                    .append(f)
                    .append(' ')
                    .append(s.get(THROUGHPUT))
                    .append(" ok/s, p50 ")
                    .append(s.get("p50-ms"))
                    .append(" p95 ")
                    .append(s.get("p95-ms"))
                    .append(" p99 ")
                    .append(s.get("p99-ms"))
                    .append(" ms");
        });
        boolean anyOk = ops.stream().anyMatch(Operation::isOk);
        if (baselineFile.isEmpty()) {
            return anyOk
                    ? Verdict.valid(NAME, text.toString(), d)
                    : Verdict.unknown(NAME, text + "; no operation succeeded: nothing was measured", d);
        }
        d.put("baseline", baselineFile.get().toString());
        d.put("tolerance-percent", Math.round(tolerance * 1000) / 10.0);
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> worse = new ArrayList<>();
        baseline.forEach((f, base) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> now = (Map<String, Object>) figures.get(f);
            for (Map.Entry<String, Double> b : base.entrySet()) {
                Object v = now == null ? null : now.get(b.getKey());
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("f", f);
                row.put("figure", b.getKey());
                row.put("baseline", b.getValue());
                row.put("now", v);
                boolean latency = LATENCIES.contains(b.getKey());
                boolean bad;
                if (!(v instanceof Number n)) {
                    bad = true;
                } else if (latency) {
                    bad = n.doubleValue() > b.getValue() * (1 + tolerance);
                } else {
                    bad = n.doubleValue() < b.getValue() / (1 + tolerance);
                }
                row.put("worse", bad);
                rows.add(row);
                if (bad) {
                    worse.add(f + " " + b.getKey() + " " + (v == null ? "not measured" : v) + " against "
                            + b.getValue()
                            + (v instanceof Number n ? " (" + change(n.doubleValue(), b.getValue()) + ")" : ""));
                }
            }
        });
        d.put("comparison", rows);
        String tol = Math.round(tolerance * 1000) / 10.0 + "%";
        if (!worse.isEmpty()) {
            return new Verdict(
                    NAME,
                    Validity.INVALID,
                    worse.size() + " figure(s) worse than the baseline by more than " + tol + ": "
                            + String.join("; ", worse.subList(0, Math.min(5, worse.size()))) + " — now: " + text,
                    List.of(),
                    d);
        }
        return Verdict.valid(NAME, "within " + tol + " of the baseline: " + text, d);
    }

    private static String change(double now, double base) {
        if (base == 0) return "baseline 0";
        long pct = Math.round((now - base) / base * 100);
        return (pct >= 0 ? "+" : "") + pct + "%";
    }

    private static Map<String, Object> byF(List<Operation> ops, long span) {
        Map<String, Object> out = new TreeMap<>();
        StatsChecker.byFunction(ops).forEach((f, list) -> out.put(f, StatsChecker.stats(list, span)));
        return out;
    }
}
