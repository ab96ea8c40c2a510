package io.vmcluster.report.html;

import io.vmcluster.checker.Verdict;
import io.vmcluster.history.Op;
import io.vmcluster.history.OpType;
import io.vmcluster.history.Operation;
import io.vmcluster.report.WorkloadReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The workloads' operations on the timeline: under the node lanes, per workload a lane per client,
 * each operation a bar from its invocation to its completion, green ok, red fail, orange info (an
 * operation never completed is info up to the history's end). A workload of more than {@link
 * #DRAW_EACH_UP_TO} operations is thinned: each lane is cut into {@link #BUCKET_PX}-pixel columns,
 * a column takes the colour of the worst outcome invoked in it, and neighbouring columns of the same
 * colour become one bar whose tooltip counts them; the header row says so. The operations a checker
 * named are always drawn one by one, outlined, with an id the verdicts link to.
 */
final class OpLanes {
    static final int DRAW_EACH_UP_TO = 2000;
    static final double BUCKET_PX = 2;
    static final int MAX_LANES = 32;
    /** The operations of one verdict drawn and linked, at most. */
    static final int FLAGGED_PER_VERDICT = 50;

    private static final double HEADER = 15;
    private static final double LANE = 9;

    private final List<WorkloadReport> all;
    private final List<WorkloadReport> workloads;
    private final TimeScale scale;

    OpLanes(List<WorkloadReport> workloads, TimeScale scale) {
        this.all = workloads;
        this.workloads =
                workloads.stream().filter(w -> !w.ops().operations().isEmpty()).toList();
        this.scale = scale;
    }

    /** The id of an operation's mark, for links from the verdicts: {@code op-W-INDEX}. */
    static String markId(int workload, Operation o) {
        return "op-" + workload + "-" + o.invoke().index();
    }

    double height() {
        double h = 0;
        for (WorkloadReport w : workloads) h += HEADER + lanes(w) * LANE + 4;
        return h;
    }

    void render(Svg svg, double y, double right) {
        for (WorkloadReport w : workloads) {
            int index = all.indexOf(w) + 1;
            int lanes = lanes(w);
            List<Operation> ops = w.ops().operations();
            boolean each = ops.size() <= DRAW_EACH_UP_TO;
            StringBuilder body = new StringBuilder();
            Svg inner = new Svg(body);
            int marks = each ? drawEach(inner, w, ops, y + HEADER) : drawThinned(inner, w, ops, y + HEADER, lanes);
            marks += drawFlagged(inner, w, index, y + HEADER);
            svg.open(
                    "g",
                    "class=\"ops\" data-workload=\"" + Html.esc(w.name()) + "\" data-ops=\"" + ops.size()
                            + "\" data-drawn=\"" + (each ? "each" : "thinned") + "\" data-marks=\"" + marks + "\"");
            svg.text(
                    TimelineChart.LEFT - 8,
                    y + 11,
                    TimelineChart.fit("ops " + w.name(), TimelineChart.LEFT - 14),
                    "class=\"row-label\" text-anchor=\"end\"");
            String note = ops.size() + " operations by " + lanes + (lanes == 1 ? " client" : " clients")
                    + (each
                            ? ""
                            : String.format(
                                    Locale.ROOT,
                                    " — thinned to %d marks: each column is %.1f s, coloured by the worst outcome"
                                            + " invoked in it",
                                    marks,
                                    scale.span().toMillis() / 1000.0 * BUCKET_PX / scale.width()));
            svg.text(TimelineChart.LEFT + 4, y + 11, note, "class=\"ops-note\"");
            for (int l = 0; l < lanes; l++) {
                double ly = y + HEADER + l * LANE;
                svg.line(TimelineChart.LEFT, ly + LANE - 1, right, ly + LANE - 1, "class=\"lane-rule op-rule\"", null);
            }
            svg.raw(body.toString());
            svg.close("g");
            y += HEADER + lanes * LANE + 4;
        }
    }

    private int lanes(WorkloadReport w) {
        if (w.clients() > 0) return Math.min(w.clients(), MAX_LANES);
        long distinct = w.ops().operations().stream()
                .mapToLong(Operation::process)
                .distinct()
                .count();
        return (int) Math.max(1, Math.min(distinct, MAX_LANES));
    }

    private Map<Long, Integer> laneOf(WorkloadReport w, int lanes) {
        Map<Long, Integer> m = new HashMap<>();
        if (w.clients() > 0) return m; // process mod lanes
        for (Operation o : w.ops().operations()) m.putIfAbsent(o.process(), m.size() % lanes);
        return m;
    }

    private int lane(Map<Long, Integer> map, Operation o, int lanes) {
        Integer l = map.get(o.process());
        return l != null ? l : (int) (o.process() % lanes);
    }

    private long offset(WorkloadReport w) {
        return Duration.between(scale.origin(), w.origin()).toNanos();
    }

    private double x(WorkloadReport w, long historyNanos) {
        return scale.x(offset(w) + historyNanos);
    }

    private double endX(WorkloadReport w, Operation o) {
        return x(w, o.completion() == null ? w.ops().endTime() : o.completeTime());
    }

    /** An operation as people read it, cut to {@link #DESCRIBE_MAX} characters (a final read can hold every value). */
    static String describe(Operation o) {
        String s = o.describe();
        return s.length() <= DESCRIBE_MAX ? s : s.substring(0, DESCRIBE_MAX - 1) + "…";
    }

    static final int DESCRIBE_MAX = 160;

    static String typeClass(OpType t) {
        return t == OpType.INVOKE ? "info" : t.wireName();
    }

    private int drawEach(Svg svg, WorkloadReport w, List<Operation> ops, double y) {
        int lanes = lanes(w);
        Map<Long, Integer> map = laneOf(w, lanes);
        for (Operation o : ops) {
            double x1 = x(w, o.invokeTime());
            double x2 = endX(w, o);
            svg.rect(
                    x1,
                    y + lane(map, o, lanes) * LANE + 1,
                    Math.max(1.5, x2 - x1),
                    LANE - 3,
                    "class=\"op " + typeClass(o.type()) + "\"",
                    describe(o));
        }
        return ops.size();
    }

    private int drawThinned(Svg svg, WorkloadReport w, List<Operation> ops, double y, int lanes) {
        Map<Long, Integer> map = laneOf(w, lanes);
        int columns = (int) Math.ceil(scale.width() / BUCKET_PX) + 1;
        int[][][] counts = new int[lanes][columns][3];
        for (Operation o : ops) {
            int c = (int) ((x(w, o.invokeTime()) - scale.x0()) / BUCKET_PX);
            c = Math.max(0, Math.min(columns - 1, c));
            counts[lane(map, o, lanes)][c][worst(o.type())]++;
        }
        int marks = 0;
        double colSeconds = scale.span().toNanos() / 1e9 * BUCKET_PX / scale.width();
        for (int l = 0; l < lanes; l++) {
            int c = 0;
            while (c < columns) {
                int kind = colour(counts[l][c]);
                if (kind < 0) {
                    c++;
                    continue;
                }
                int start = c;
                int[] sum = new int[3];
                while (c < columns && colour(counts[l][c]) == kind) {
                    for (int k = 0; k < 3; k++) sum[k] += counts[l][c][k];
                    c++;
                }
                double x1 = scale.x0() + start * BUCKET_PX;
                String title = String.format(
                        Locale.ROOT,
                        "%.1f s – %.1f s: %d ok, %d fail, %d info",
                        start * colSeconds,
                        c * colSeconds,
                        sum[0],
                        sum[1],
                        sum[2]);
                svg.rect(
                        x1,
                        y + l * LANE + 1,
                        (c - start) * BUCKET_PX,
                        LANE - 3,
                        "class=\"op " + KINDS[kind] + "\"",
                        title);
                marks++;
            }
        }
        return marks;
    }

    private static final String[] KINDS = {"ok", "fail", "info"};

    private static int worst(OpType t) {
        return switch (t) {
            case OK -> 0;
            case FAIL -> 1;
            default -> 2;
        };
    }

    /** The worst outcome with a count, or -1 for an empty column. */
    private static int colour(int[] c) {
        return c[2] > 0 ? 2 : c[1] > 0 ? 1 : c[0] > 0 ? 0 : -1;
    }

    private int drawFlagged(Svg svg, WorkloadReport w, int index, double y) {
        int lanes = lanes(w);
        Map<Long, Integer> map = laneOf(w, lanes);
        Map<Operation, List<String>> flagged = flagged(w);
        for (Map.Entry<Operation, List<String>> e : flagged.entrySet()) {
            Operation o = e.getKey();
            double x1 = x(w, o.invokeTime());
            double x2 = endX(w, o);
            svg.rect(
                    x1 - 1,
                    y + lane(map, o, lanes) * LANE,
                    Math.max(3, x2 - x1 + 2),
                    LANE - 1,
                    "class=\"op flagged " + typeClass(o.type()) + "\" id=\"" + markId(index, o) + "\"",
                    describe(o) + "\nnamed by " + String.join(", ", e.getValue()));
        }
        return flagged.size();
    }

    /** The operations checkers named → which checkers (invalid or unknown verdicts only). */
    static Map<Operation, List<String>> flagged(WorkloadReport w) {
        Map<Operation, List<String>> out = new LinkedHashMap<>();
        for (Verdict v : w.verdicts()) {
            if (v.validity().passed()) continue;
            int n = 0;
            for (Op line : v.ops()) {
                Operation o = w.ops().operationOf(line);
                if (o == null) continue;
                List<String> by = out.computeIfAbsent(o, k -> new ArrayList<>());
                if (!by.contains(v.checker())) {
                    by.add(v.checker());
                    if (++n >= FLAGGED_PER_VERDICT) break;
                }
            }
        }
        return out;
    }
}
