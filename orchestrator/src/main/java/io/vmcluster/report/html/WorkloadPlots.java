package io.vmcluster.report.html;

import io.vmcluster.history.OpFunction;
import io.vmcluster.history.Operation;
import io.vmcluster.report.RunTimeline.FaultSpan;
import io.vmcluster.report.WorkloadReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A workload's latency and throughput, as two SVG plots on the page's one time axis, with the run's
 * fault bands behind. Latency (log scale) has a dot per operation, coloured by its function, red for
 * fail and orange for info (an operation that never completed sits on the top edge). Above {@link
 * OpLanes#DRAW_EACH_UP_TO} operations it is thinned: per function the median and the 99th percentile
 * of the ok latencies per {@link #LATENCY_BUCKET_PX}-pixel column, and a tick on the top edge for a
 * column with a failed or indeterminate operation. Throughput is completions per second by outcome,
 * in buckets of 1 s or more (at most {@link #MAX_RATE_BUCKETS}).
 */
final class WorkloadPlots {
    static final double LATENCY_BUCKET_PX = 4;
    static final int MAX_RATE_BUCKETS = 300;
    /** Functions with a colour of their own; more share the last. */
    private static final int COLOURS = 6;

    private static final double LAT_H = 170;
    private static final double RATE_H = 110;
    private static final double TOP = 8;
    private static final double BOTTOM = 20;
    private static final long[] RATE_STEPS_S = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600};

    private final WorkloadReport w;
    private final List<FaultSpan> faults;
    private final TimeScale scale;
    private final long offset;
    private final Map<OpFunction, Integer> colours = new LinkedHashMap<>();

    WorkloadPlots(WorkloadReport w, List<FaultSpan> faults, TimeScale scale) {
        this.w = w;
        this.faults = faults;
        this.scale = scale;
        this.offset = Duration.between(scale.origin(), w.origin()).toNanos();
        for (Operation o : w.ops().operations()) {
            colours.putIfAbsent(o.f(), Math.min(colours.size(), COLOURS - 1));
        }
    }

    /** The functions and their colour classes, for the legend. */
    Map<OpFunction, String> legend() {
        Map<OpFunction, String> m = new LinkedHashMap<>();
        colours.forEach((f, c) -> m.put(f, "f" + c));
        return m;
    }

    private double x(long historyNanos) {
        return scale.x(offset + historyNanos);
    }

    private void frame(Svg svg, String cls, String id, double height, String label) {
        svg.open(
                "svg",
                "class=\"chart " + cls + "\" id=\"" + id + "\" viewBox=\"0 0 " + Svg.num(TimelineChart.WIDTH) + " "
                        + Svg.num(height) + "\" " + ChartAxis.dataAttributes(scale) + " role=\"img\" aria-label=\""
                        + Html.esc(label) + "\"");
        for (FaultSpan f : faults) {
            if (f.instant() || f.error() != null) continue;
            double x1 = scale.x(f.from());
            double x2 = scale.x(f.to() != null ? f.to() : scale.origin().plus(scale.span()));
            svg.rect(
                    x1,
                    TOP,
                    Math.max(1, x2 - x1),
                    height - TOP - BOTTOM,
                    "class=\"fault-band\" data-fault=\"" + Html.esc(f.id()) + "\"",
                    f.label());
        }
        ChartAxis.grid(svg, scale, TOP, height - BOTTOM);
        ChartAxis.labels(svg, scale, height - 6);
        svg.text(4, TOP + (height - TOP - BOTTOM) / 2 + 4, label, "class=\"row-label\"");
    }

    /** The latency plot; {@code id} names it on the page. */
    void latency(StringBuilder out, String id) {
        List<Operation> ops = w.ops().operations();
        long min = Long.MAX_VALUE;
        long max = 0;
        for (Operation o : ops) {
            if (o.latency() >= 0) {
                min = Math.min(min, Math.max(o.latency(), 1));
                max = Math.max(max, o.latency());
            }
        }
        if (max == 0) {
            min = 1_000_000;
            max = 1_000_000_000;
        }
        int lo = (int) Math.floor(Math.log10(min));
        int hi = (int) Math.ceil(Math.log10(Math.max(max, min * 10)));
        if (hi <= lo) hi = lo + 1;
        Svg svg = new Svg(out);
        frame(svg, "latency", id, LAT_H, "latency (log)");
        double bottom = LAT_H - BOTTOM;
        double plotH = bottom - TOP;
        final int loF = lo;
        final int hiF = hi;
        java.util.function.LongToDoubleFunction y =
                ns -> bottom - (Math.log10(Math.max(ns, 1)) - loF) / (hiF - loF) * plotH;
        for (int d = lo; d <= hi; d++) {
            double yy = y.applyAsDouble(Math.round(Math.pow(10, d)));
            svg.line(TimelineChart.LEFT, yy, TimelineChart.WIDTH - TimelineChart.RIGHT, yy, "class=\"grid\"", null);
            svg.text(TimelineChart.LEFT - 4, yy + 4, decade(d), "class=\"tick\" text-anchor=\"end\"");
        }
        if (ops.size() <= OpLanes.DRAW_EACH_UP_TO) {
            Map<String, StringBuilder> paths = new LinkedHashMap<>();
            for (Operation o : ops) {
                String cls = o.isOk() ? "f" + colours.get(o.f()) : o.isFail() ? "fail" : "info";
                double px = x(o.invokeTime());
                double py = o.latency() < 0 ? TOP : Math.max(TOP, y.applyAsDouble(o.latency()));
                paths.computeIfAbsent(cls, k -> new StringBuilder())
                        .append('M')
                        .append(Svg.num(px))
                        .append(' ')
                        .append(Svg.num(py))
                        .append("h0.1");
            }
            paths.forEach((cls, d) -> svg.path(d.toString(), "class=\"lat-dots " + cls + "\"", null));
        } else {
            thinnedLatency(svg, ops, y);
        }
        svg.close("svg");
    }

    private void thinnedLatency(Svg svg, List<Operation> ops, java.util.function.LongToDoubleFunction y) {
        int columns = (int) Math.ceil(scale.width() / LATENCY_BUCKET_PX) + 1;
        Map<OpFunction, List<List<Long>>> byF = new LinkedHashMap<>();
        boolean[] bad = new boolean[columns];
        for (Operation o : ops) {
            int c = (int) ((x(o.invokeTime()) - scale.x0()) / LATENCY_BUCKET_PX);
            c = Math.max(0, Math.min(columns - 1, c));
            if (o.isOk()) {
                List<List<Long>> cols = byF.computeIfAbsent(o.f(), f -> {
                    List<List<Long>> l = new ArrayList<>(columns);
                    for (int i = 0; i < columns; i++) l.add(null);
                    return l;
                });
                if (cols.get(c) == null) cols.set(c, new ArrayList<>());
                cols.get(c).add(o.latency());
            } else {
                bad[c] = true;
            }
        }
        byF.forEach((f, cols) -> {
            StringBuilder p50 = new StringBuilder();
            StringBuilder p99 = new StringBuilder();
            boolean pen = false;
            for (int c = 0; c < columns; c++) {
                List<Long> l = cols.get(c);
                if (l == null) {
                    pen = false;
                    continue;
                }
                long[] a = l.stream().mapToLong(Long::longValue).toArray();
                Arrays.sort(a);
                double px = scale.x0() + (c + 0.5) * LATENCY_BUCKET_PX;
                char cmd = pen ? 'L' : 'M';
                // a run's first point gets a stub, so a column alone (no neighbour to join) is a dot
                String stub = pen ? "" : "h0.1";
                p50.append(cmd).append(Svg.num(px)).append(' ').append(Svg.num(y.applyAsDouble(quantile(a, 0.5))));
                p50.append(stub);
                p99.append(cmd).append(Svg.num(px)).append(' ').append(Svg.num(y.applyAsDouble(quantile(a, 0.99))));
                p99.append(stub);
                pen = true;
            }
            String cls = "f" + colours.get(f);
            svg.path(p99.toString(), "class=\"lat-line p99 " + cls + "\"", f + " p99 per column");
            svg.path(p50.toString(), "class=\"lat-line p50 " + cls + "\"", f + " median per column");
        });
        StringBuilder ticks = new StringBuilder();
        for (int c = 0; c < columns; c++) {
            if (bad[c]) {
                ticks.append('M')
                        .append(Svg.num(scale.x0() + (c + 0.5) * LATENCY_BUCKET_PX))
                        .append(' ')
                        .append(Svg.num(TOP))
                        .append("v6");
            }
        }
        if (ticks.length() > 0) {
            svg.path(ticks.toString(), "class=\"lat-bad\"", "columns with a failed or indeterminate operation");
        }
    }

    /** The throughput plot: completions per second by outcome. */
    void throughput(StringBuilder out, String id) {
        List<Operation> ops = w.ops().operations();
        long span = Math.max(1, w.ops().endTime());
        long step = RATE_STEPS_S[RATE_STEPS_S.length - 1];
        for (long s : RATE_STEPS_S) {
            if (span / (s * 1_000_000_000L) < MAX_RATE_BUCKETS) {
                step = s;
                break;
            }
        }
        long stepNs = step * 1_000_000_000L;
        int buckets = (int) (span / stepNs) + 1;
        double[][] rate = new double[3][buckets];
        for (Operation o : ops) {
            if (o.completion() == null) continue;
            int b = (int) Math.min(buckets - 1, Math.max(0, o.completeTime() / stepNs));
            int k = o.isOk() ? 0 : o.isFail() ? 1 : 2;
            rate[k][b] += 1.0 / step;
        }
        double max = 1;
        for (double[] r : rate) for (double v : r) max = Math.max(max, v);
        double top = niceCeiling(max);
        Svg svg = new Svg(out);
        frame(svg, "throughput", id, RATE_H, "ops/s");
        double bottom = RATE_H - BOTTOM;
        for (int i = 0; i <= 2; i++) {
            double v = top * i / 2;
            double yy = bottom - v / top * (bottom - TOP);
            svg.line(TimelineChart.LEFT, yy, TimelineChart.WIDTH - TimelineChart.RIGHT, yy, "class=\"grid\"", null);
            svg.text(TimelineChart.LEFT - 4, yy + 4, number(v), "class=\"tick\" text-anchor=\"end\"");
        }
        String[] cls = {"ok", "fail", "info"};
        for (int k = 0; k < 3; k++) {
            StringBuilder d = new StringBuilder();
            boolean any = false;
            for (int b = 0; b < buckets; b++) {
                if (rate[k][b] > 0) any = true;
                double x1 = x(b * stepNs);
                double x2 = x(Math.min(span, (b + 1) * stepNs));
                double yy = bottom - rate[k][b] / top * (bottom - TOP);
                d.append(b == 0 ? 'M' : 'L').append(Svg.num(x1)).append(' ').append(Svg.num(yy));
                d.append('H').append(Svg.num(x2));
            }
            if (any) {
                svg.path(
                        d.toString(),
                        "class=\"rate " + cls[k] + "\"",
                        cls[k] + " completions per second (buckets of " + step + " s)");
            }
        }
        svg.close("svg");
    }

    static long quantile(long[] sorted, double q) {
        if (sorted.length == 0) return 0;
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= v) return m * p;
        }
        return 10 * p;
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String decade(int d) {
        return switch (d) {
            case 3 -> "1 µs";
            case 4 -> "10 µs";
            case 5 -> "100 µs";
            case 6 -> "1 ms";
            case 7 -> "10 ms";
            case 8 -> "100 ms";
            case 9 -> "1 s";
            case 10 -> "10 s";
            case 11 -> "100 s";
            default -> "1e" + d + " ns";
        };
    }
}
