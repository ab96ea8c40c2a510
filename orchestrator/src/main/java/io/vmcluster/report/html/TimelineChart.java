package io.vmcluster.report.html;

import io.vmcluster.cluster.NodeState;
import io.vmcluster.report.LeaderRoles;
import io.vmcluster.report.LeaderRoles.RoleSpan;
import io.vmcluster.report.Outcome;
import io.vmcluster.report.RunReport;
import io.vmcluster.report.RunTimeline;
import io.vmcluster.report.RunTimeline.FaultSpan;
import io.vmcluster.report.RunTimeline.NodeSpan;
import io.vmcluster.report.StepReport;
import io.vmcluster.report.SubtestReport;
import io.vmcluster.report.WorkloadReport;
import io.vmcluster.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run on one time axis, as SVG: a row of tests and their steps, rows of faults (overlapping
 * ones stacked), then a lane per node with its states and a stripe for the faults that concern
 * it (and, where a leader-status probe said so, when it was the leader), then the workloads'
 * operations ({@link OpLanes}). Fault bands run behind the lanes; a failed step draws a red line
 * through every row.
 * Every mark has a {@code <title>} (its tooltip) and a class the page's CSS colours.
 */
final class TimelineChart {
    static final double WIDTH = 1200;
    static final double LEFT = 150;
    static final double RIGHT = 14;
    private static final double AXIS = 22;
    private static final double TEST_ROW = 20;
    private static final double STEP_ROW = 12;
    private static final double FAULT_ROW = 17;
    private static final double LANE = 22;
    private static final double GAP = 6;
    /** Average width of one character of the 11 px label font, to decide what fits in a bar. */
    private static final double CHAR_PX = 6.3;
    /** Room for a label written right of a fault too short to hold it. */
    private static final double OUTSIDE_LABEL_PX = 240;

    private final RunTimeline timeline;
    private final RunReport run;
    private final TimeScale scale;
    private final Map<String, List<RoleSpan>> roles;
    private final OpLanes ops;

    TimelineChart(RunTimeline timeline, RunReport run, TimeScale scale) {
        this(timeline, run, scale, List.of());
    }

    TimelineChart(RunTimeline timeline, RunReport run, TimeScale scale, List<WorkloadReport> workloads) {
        this.timeline = timeline;
        this.run = run;
        this.scale = scale;
        this.roles = LeaderRoles.of(workloads);
        this.ops = new OpLanes(workloads, scale);
    }

    /** The plot area of every chart on the page: same x0 and width, so times line up. */
    static TimeScale scaleFor(RunTimeline t) {
        return new TimeScale(t.origin(), t.duration(), LEFT, WIDTH - LEFT - RIGHT);
    }

    void render(StringBuilder out) {
        List<List<FaultSpan>> faultRows = stack(timeline.faults());
        int faultRowCount = Math.max(1, faultRows.size());
        double yTests = AXIS;
        double ySteps = yTests + TEST_ROW + 2;
        double yFaults = ySteps + STEP_ROW + GAP;
        double yNodes = yFaults + faultRowCount * FAULT_ROW + GAP;
        double yOps = yNodes + Math.max(1, timeline.nodes().size()) * LANE + GAP;
        double height = yOps + ops.height() + 4;

        Svg svg = new Svg(out);
        svg.open(
                "svg",
                "class=\"chart timeline\" id=\"timeline-chart\" viewBox=\"0 0 " + Svg.num(WIDTH) + " " + Svg.num(height)
                        + "\" " + ChartAxis.dataAttributes(scale) + " role=\"img\" aria-label=\"run timeline\"");
        ChartAxis.grid(svg, scale, AXIS - 4, height);
        ChartAxis.labels(svg, scale, 13);

        // fault bands behind the lanes
        for (FaultSpan f : timeline.faults()) {
            if (f.instant() || f.error() != null) continue;
            double x1 = scale.x(f.from());
            double x2 = scale.x(f.toOr(timeline.end()));
            svg.rect(
                    x1,
                    yFaults,
                    Math.max(1, x2 - x1),
                    height - yFaults,
                    "class=\"fault-band\" data-fault=\"" + Html.esc(f.id()) + "\"",
                    null);
        }

        rowLabel(svg, "tests", yTests + TEST_ROW / 2);
        rowLabel(svg, "steps", ySteps + STEP_ROW / 2);
        tests(svg, yTests, ySteps);

        rowLabel(svg, "faults", yFaults + FAULT_ROW / 2);
        if (timeline.faults().isEmpty()) {
            svg.text(LEFT + 4, yFaults + 12, "no faults", "class=\"none\"");
        }
        for (int row = 0; row < faultRows.size(); row++) {
            for (FaultSpan f : faultRows.get(row)) {
                fault(svg, f, yFaults + row * FAULT_ROW);
            }
        }

        List<String> nodes = timeline.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            lane(svg, nodes.get(i), yNodes + i * LANE);
        }
        if (nodes.isEmpty()) {
            svg.text(LEFT + 4, yNodes + 14, "no node started", "class=\"none\"");
        }
        ops.render(svg, yOps, WIDTH - RIGHT);

        failures(svg, yTests, height);
        svg.close("svg");
    }

    private void tests(Svg svg, double yTests, double ySteps) {
        int index = 0;
        for (SubtestReport t : run.subtests()) {
            index++;
            if (t.started() == null) continue;
            double x1 = scale.x(t.started());
            double x2 = scale.x(t.started().plus(t.duration()));
            String cls = "test-bar " + outcomeClass(t.outcome());
            String title = t.name() + " — " + t.outcome().name().toLowerCase(Locale.ROOT) + " ("
                    + Durations.format(t.duration()) + ", from " + scale.at(t.started()) + ")";
            svg.open("a", "href=\"#test-" + index + "\"");
            svg.rect(x1, yTests, Math.max(2, x2 - x1), TEST_ROW, "class=\"" + cls + "\" rx=\"2\"", title);
            String label = fit(t.name(), x2 - x1 - 6);
            if (!label.isEmpty()) {
                svg.text(x1 + 3, yTests + 14, label, "class=\"bar-label\"");
            }
            svg.close("a");
            for (StepReport s : t.steps()) {
                Instant end =
                        s.ended() ? s.started().plus(s.duration()) : t.started().plus(t.duration());
                double sx1 = scale.x(s.started());
                double sx2 = scale.x(end);
                String stitle = s.step() + " — " + (s.outcome() == Outcome.PASSED ? "ok" : "failed")
                        + (s.ended() ? " (" + Durations.format(s.duration()) + ")" : " (never ended)")
                        + (s.error().isEmpty() ? "" : "\n" + s.error());
                svg.rect(
                        sx1,
                        ySteps + s.depth() * 2,
                        Math.max(1.5, sx2 - sx1 - 0.5),
                        STEP_ROW - s.depth() * 2,
                        "class=\"step " + (s.outcome() == Outcome.PASSED ? "ok" : "failed") + "\"",
                        stitle);
            }
        }
    }

    private void fault(Svg svg, FaultSpan f, double y) {
        double x1 = scale.x(f.from());
        String attrs = "data-fault=\"" + Html.esc(f.id()) + "\"";
        if (f.instant() || f.error() != null) {
            String cls = f.error() != null ? "fault-error" : "fault-instant";
            String title =
                    f.label() + (f.error() != null ? " — failed: " + f.error() : "") + " at " + scale.at(f.from());
            double cy = y + FAULT_ROW / 2 - 1;
            svg.path(
                    "M" + Svg.num(x1) + " " + Svg.num(cy - 6) + "l5 6l-5 6l-5-6z",
                    "class=\"" + cls + "\" " + attrs,
                    title);
            svg.text(x1 + 7, y + 12, fit(f.label(), OUTSIDE_LABEL_PX), "class=\"fault-label outside\"");
            return;
        }
        Instant to = f.toOr(timeline.end());
        double x2 = scale.x(to);
        String title = f.label() + " — from " + scale.at(f.from()) + " to "
                + (f.to() == null ? "the end (never healed)" : scale.at(to)) + " ("
                + Durations.format(Duration.between(f.from(), to)) + ")" + (f.method() == null ? "" : ", " + f.method())
                + (f.params().isEmpty() ? "" : "\n" + f.params());
        svg.rect(
                x1,
                y + 1,
                Math.max(2, x2 - x1),
                FAULT_ROW - 3,
                "class=\"fault" + (f.to() == null ? " open" : "") + "\" rx=\"2\" " + attrs,
                title);
        if (insideFits(f, x2 - x1)) {
            svg.text(x1 + 3, y + 12, f.label(), "class=\"fault-label\"");
        } else {
            svg.text(x2 + 3, y + 12, fit(f.label(), OUTSIDE_LABEL_PX), "class=\"fault-label outside\"");
        }
    }

    private void lane(Svg svg, String node, double y) {
        svg.open("g", "class=\"lane\" data-node=\"" + Html.esc(node) + "\"");
        rowLabel(svg, node, y + 8);
        svg.line(LEFT, y + LANE - 2, WIDTH - RIGHT, y + LANE - 2, "class=\"lane-rule\"", null);
        for (NodeSpan s : timeline.states().getOrDefault(node, List.of())) {
            if (s.state() == NodeState.NOT_STARTED) continue;
            double x1 = scale.x(s.from());
            double x2 = scale.x(s.to());
            String state = s.state().name().toLowerCase(Locale.ROOT);
            String title = node + " " + state + " from " + scale.at(s.from()) + " to " + scale.at(s.to()) + " ("
                    + Durations.format(Duration.between(s.from(), s.to())) + ")"
                    + (s.reason() == null ? "" : " — " + s.reason())
                    + (s.accelerator() == null ? "" : ", " + s.accelerator());
            svg.rect(
                    x1,
                    y + 1,
                    Math.max(1, x2 - x1),
                    14,
                    "class=\"state " + state + "\" data-state=\"" + state + "\"",
                    title);
            String label = fit(state, x2 - x1 - 4);
            if (!label.isEmpty()) {
                svg.text(x1 + 3, y + 12, label, "class=\"state-label\"");
            }
        }
        for (RoleSpan r : roles.getOrDefault(node, List.of())) {
            if (r.role() == LeaderRoles.Role.FOLLOWER) continue;
            String role = r.role() == LeaderRoles.Role.LEADER ? "leader" : "no-answer";
            double x1 = scale.x(r.from());
            double x2 = scale.x(r.to());
            svg.rect(
                    x1,
                    y + 1,
                    Math.max(1.5, x2 - x1),
                    4,
                    "class=\"role " + role + "\" data-role=\"" + role + "\"",
                    node
                            + (r.role() == LeaderRoles.Role.LEADER
                                    ? " says it is the leader"
                                    : " did not answer the probe")
                            + (r.term() == null ? "" : " (term " + r.term() + ")") + " from " + scale.at(r.from())
                            + " to " + scale.at(r.to()));
        }
        for (FaultSpan f : timeline.faults()) {
            if (!f.nodes().contains(node) || f.error() != null) continue;
            double x1 = scale.x(f.from());
            double x2 = f.instant() ? x1 + 2 : scale.x(f.toOr(timeline.end()));
            svg.rect(
                    x1,
                    y + 16,
                    Math.max(2, x2 - x1),
                    3,
                    "class=\"node-fault\" data-fault=\"" + Html.esc(f.id()) + "\"",
                    f.label() + " (" + node + ")");
        }
        svg.close("g");
    }

    /** A red line where each failed step ended, labelled with its test, through every row. */
    private void failures(Svg svg, double top, double height) {
        for (SubtestReport t : run.subtests()) {
            for (StepReport s : t.steps()) {
                if (s.outcome() != Outcome.FAILED || !s.ended() || s.depth() > 0) continue;
                double x = scale.x(s.started().plus(s.duration()));
                svg.line(
                        x,
                        top,
                        x,
                        height,
                        "class=\"failure-line\"",
                        "failed: " + s.step() + (s.node() == null ? "" : " on " + s.node()) + " at "
                                + scale.at(s.started().plus(s.duration())));
            }
        }
    }

    private static void rowLabel(Svg svg, String text, double yMid) {
        svg.text(LEFT - 8, yMid + 4, fit(text, LEFT - 14), "class=\"row-label\" text-anchor=\"end\"");
    }

    /** Faults laid out in rows so that none overlaps another in its row (first fit, in start order). */
    private List<List<FaultSpan>> stack(List<FaultSpan> faults) {
        List<List<FaultSpan>> rows = new ArrayList<>();
        List<Double> rowEnds = new ArrayList<>();
        for (FaultSpan f : faults) {
            double x1 = scale.x(f.from());
            double x2 = f.instant() || f.error() != null ? x1 : Math.max(scale.x(f.toOr(timeline.end())), x1 + 2);
            if (!insideFits(f, x2 - x1)) { // the label goes right of the bar and takes room in the row
                x2 += 6 + Math.min(CHAR_PX * f.label().length(), OUTSIDE_LABEL_PX);
            }
            int row = 0;
            while (row < rows.size() && rowEnds.get(row) > x1 - 1) row++;
            if (row == rows.size()) {
                rows.add(new ArrayList<>());
                rowEnds.add(0.0);
            }
            rows.get(row).add(f);
            rowEnds.set(row, x2);
        }
        return rows;
    }

    private static boolean insideFits(FaultSpan f, double barPx) {
        return !f.instant() && f.error() == null && CHAR_PX * f.label().length() + 6 <= barPx;
    }

    /** The text if it fits in {@code px}, else cut with an ellipsis, else nothing. */
    static String fit(String text, double px) {
        int max = (int) Math.floor(px / CHAR_PX);
        if (text.length() <= max) return text;
        if (max < 4) return "";
        return text.substring(0, max - 1) + "…";
    }

    static String outcomeClass(Outcome o) {
        return o.name().toLowerCase(Locale.ROOT);
    }
}
