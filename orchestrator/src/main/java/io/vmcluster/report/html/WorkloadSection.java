package io.vmcluster.report.html;

import io.vmcluster.checker.FaultWindow;
import io.vmcluster.checker.Validity;
import io.vmcluster.checker.Verdict;
import io.vmcluster.history.Op;
import io.vmcluster.history.Operation;
import io.vmcluster.history.Times;
import io.vmcluster.report.RunTimeline.FaultSpan;
import io.vmcluster.report.WorkloadReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The page's part about workloads: per workload the checkers' verdicts with their explanations and
 * links to the operations they name, the latency and throughput plots, and the operations split by
 * fault window (what changed while a fault was in effect).
 */
final class WorkloadSection {
    /** Operations listed under one verdict, at most. */
    static final int OPS_LISTED = 10;

    private final List<WorkloadReport> workloads;
    private final List<FaultSpan> faults;
    private final TimeScale scale;
    private final StringBuilder out;

    WorkloadSection(List<WorkloadReport> workloads, List<FaultSpan> faults, TimeScale scale, StringBuilder out) {
        this.workloads = workloads;
        this.faults = faults;
        this.scale = scale;
        this.out = out;
    }

    void render() {
        if (workloads.isEmpty()) return;
        out.append("<section id=\"workloads\"><h2>Workloads and checkers</h2>\n");
        for (int i = 0; i < workloads.size(); i++) {
            workload(i + 1, workloads.get(i));
        }
        out.append("</section>\n");
    }

    private void workload(int index, WorkloadReport w) {
        Validity v = w.validity();
        String verdict = !w.checked() ? "unchecked" : v.wireName();
        out.append("<div class=\"workload\" id=\"workload-")
                .append(index)
                .append("\" data-workload=\"")
                .append(Html.esc(w.name()))
                .append("\" data-valid=\"")
                .append(verdict)
                .append("\"><h3>")
                .append(Html.esc(w.name()))
                .append(" <span class=\"badge ")
                .append(verdict)
                .append("\">")
                .append(verdict.toUpperCase(Locale.ROOT))
                .append("</span> <span class=\"dim\">")
                .append(Html.esc(w.history()))
                .append(" · ")
                .append(w.ops().operations().size())
                .append(" operations · ")
                .append(w.ops().probes().size())
                .append(" probe samples")
                .append(w.clients() > 0 ? " · " + w.clients() + " clients" : "")
                .append(" · from ")
                .append(scale.at(w.origin()))
                .append("</span></h3>\n");
        verdicts(index, w);
        if (!w.ops().operations().isEmpty()) {
            WorkloadPlots plots = new WorkloadPlots(w, faults, scale);
            out.append("<div class=\"legend\">");
            plots.legend()
                    .forEach((f, cls) -> out.append(
                                    "<span class=\"key\"><svg width=\"14\" height=\"10\"><rect" + " class=\"swatch ")
                            .append(cls)
                            .append("\" width=\"14\" height=\"10\" rx=\"2\"/></svg>")
                            .append(Html.esc(f.toString()))
                            .append(" ok</span>"));
            out.append("<span class=\"key\"><svg width=\"14\" height=\"10\"><rect class=\"swatch fail\" width=\"14\""
                    + " height=\"10\" rx=\"2\"/></svg>fail</span><span class=\"key\"><svg width=\"14\" height=\"10\">"
                    + "<rect class=\"swatch info\" width=\"14\" height=\"10\" rx=\"2\"/></svg>info (may have"
                    + " happened)</span>");
            if (w.ops().operations().size() > OpLanes.DRAW_EACH_UP_TO) {
                out.append("<span class=\"dim\">thinned: lines are the median and the 99th percentile per column"
                        + " (p99 dashed)</span>");
            }
            out.append("</div>\n<div class=\"chart-box\">");
            plots.latency(out, "latency-chart-" + index);
            plots.throughput(out, "throughput-chart-" + index);
            out.append("</div>\n");
            windows(w);
        }
        if (!w.notes().isEmpty()) {
            out.append("<ul class=\"notes\">");
            w.notes().forEach(n -> out.append("<li>").append(Html.esc(n)).append("</li>"));
            out.append("</ul>\n");
        }
        out.append("</div>\n");
    }

    private void verdicts(int index, WorkloadReport w) {
        if (w.verdicts().isEmpty()) return;
        // Checkers speak the history's clock (they never see the run's); say so, with the offset, since
        // every other time on the page is seconds since the run began.
        out.append("<table class=\"verdicts\"><thead><tr><th>checker</th><th>verdict</th><th>explanation"
                        + " <span class=\"dim\">(times since the workload began: 0 s here is ")
                .append(scale.at(w.origin()))
                .append(" of the run)</span></th></tr></thead><tbody>\n");
        for (Verdict v : w.verdicts()) {
            String cls = v.validity().wireName();
            out.append("<tr class=\"check ")
                    .append(cls)
                    .append("\" data-checker=\"")
                    .append(Html.esc(v.checker()))
                    .append("\"><td><b>")
                    .append(Html.esc(v.checker()))
                    .append("</b></td><td><span class=\"badge ")
                    .append(cls)
                    .append("\">")
                    .append(cls.toUpperCase(Locale.ROOT))
                    .append("</span></td><td><div class=\"explanation\">")
                    .append(Html.esc(clip(v.explanation())))
                    .append("</div>");
            Set<Operation> named = new LinkedHashSet<>();
            for (Op line : v.ops()) {
                Operation o = w.ops().operationOf(line);
                if (o != null) named.add(o);
            }
            if (!named.isEmpty()) {
                out.append("<ul class=\"verdict-ops\">");
                named.stream().limit(OPS_LISTED).forEach(o -> {
                    out.append("<li>");
                    if (!v.validity().passed()) {
                        out.append("<a href=\"#")
                                .append(OpLanes.markId(index, o))
                                .append("\">");
                    }
                    out.append("<code>").append(Html.esc(OpLanes.describe(o))).append("</code>");
                    if (!v.validity().passed()) out.append("</a>");
                    out.append("</li>");
                });
                if (named.size() > OPS_LISTED) {
                    out.append("<li class=\"dim\">… and ")
                            .append(named.size() - OPS_LISTED)
                            .append(" more in checks.json</li>");
                }
                out.append("</ul>");
            }
            out.append("</td></tr>\n");
        }
        out.append("</tbody></table>\n");
    }

    /** Explanations are meant to be short; one that is not is cut (checks.json has it whole). */
    static final int EXPLANATION_MAX = 3000;

    private static String clip(String s) {
        return s.length() <= EXPLANATION_MAX ? s : s.substring(0, EXPLANATION_MAX) + "… (the rest is in checks.json)";
    }

    /** Operations by fault window: none in effect, then each window, by invocation time. */
    private void windows(WorkloadReport w) {
        List<FaultWindow> all = w.faults().all();
        long end = Math.max(1, w.ops().endTime());
        out.append("<table class=\"windows\"><thead><tr><th>while</th><th>from – to</th><th>operations</th><th>ok</th>"
                + "<th>fail</th><th>info</th><th>ok/s</th><th>p50</th><th>p99</th><th>max</th></tr></thead><tbody>\n");
        long faultFree = end - union(all, end);
        row(
                "no fault in effect",
                "",
                faultFree,
                o -> w.faults().at(o.invokeTime()).isEmpty(),
                w,
                "no-fault");
        for (FaultWindow f : all) {
            long from = Math.max(0, f.start());
            long to = Math.min(end, f.end());
            if (to < from) continue;
            // On the run's clock, like the timeline above (the window is kept on the history's).
            String span = scale.at(w.at(f.start())) + " – " + (f.neverEnded() ? "end" : scale.at(w.at(f.end())));
            row(f.describe(), span, Math.max(to - from, 0), o -> f.covers(o.invokeTime()), w, "fault");
        }
        out.append("</tbody></table>\n");
    }

    private void row(String label, String span, long nanos, Predicate<Operation> in, WorkloadReport w, String cls) {
        int n = 0;
        int ok = 0;
        int fail = 0;
        int info = 0;
        List<Long> lat = new ArrayList<>();
        for (Operation o : w.ops().operations()) {
            if (!in.test(o)) continue;
            n++;
            if (o.isOk()) {
                ok++;
                lat.add(o.latency());
            } else if (o.isFail()) {
                fail++;
            } else {
                info++;
            }
        }
        long[] a = lat.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        out.append("<tr class=\"")
                .append(cls)
                .append("\"><td>")
                .append(Html.esc(label))
                .append("</td><td class=\"num\">")
                .append(Html.esc(span))
                .append("</td><td class=\"num\">")
                .append(n)
                .append("</td><td class=\"num\">")
                .append(ok)
                .append("</td><td class=\"num")
                .append(fail > 0 ? " bad" : "")
                .append("\">")
                .append(fail)
                .append("</td><td class=\"num")
                .append(info > 0 ? " bad" : "")
                .append("\">")
                .append(info)
                .append("</td><td class=\"num\">")
                .append(nanos <= 0 ? "—" : String.format(Locale.ROOT, "%.1f", ok / (nanos / 1e9)))
                .append("</td>");
        for (double q : new double[] {0.5, 0.99, 1.0}) {
            out.append("<td class=\"num\">")
                    .append(a.length == 0 ? "—" : Times.millis(WorkloadPlots.quantile(a, q)))
                    .append("</td>");
        }
        out.append("</tr>\n");
    }

    /** How long at least one window was in effect within [0, end]. */
    private static long union(List<FaultWindow> windows, long end) {
        List<long[]> spans = new ArrayList<>();
        for (FaultWindow f : windows) {
            long a = Math.max(0, f.start());
            long b = Math.min(end, f.end());
            if (b > a) spans.add(new long[] {a, b});
        }
        spans.sort((x, y) -> Long.compare(x[0], y[0]));
        long total = 0;
        long curA = -1;
        long curB = -1;
        for (long[] s : spans) {
            if (s[0] > curB) {
                if (curB > curA) total += curB - curA;
                curA = s[0];
                curB = s[1];
            } else {
                curB = Math.max(curB, s[1]);
            }
        }
        if (curB > curA) total += curB - curA;
        return total;
    }
}
