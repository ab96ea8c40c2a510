package io.vmcluster.report.html;

import io.vmcluster.report.MissingShard;
import io.vmcluster.report.Outcome;
import io.vmcluster.report.SubtestReport;
import io.vmcluster.report.SuiteReportData;
import io.vmcluster.report.SuiteReportData.UnitRun;
import io.vmcluster.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The page of a suite's results: the verdict over every unit, what failed (linked to the unit's own
 * page), a timeline with one lane per shard and a bar per unit, and the table of units (scenario,
 * round, seed, shard, host, tests, time). Each unit keeps its own report.html beside it; this page
 * is made from their events, never by pasting their pages. See docs/scale-out.md.
 */
public final class SuitePage {
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");
    private static final String CSS = ReportPage.resource("report.css");
    private static final String ERRORS_JS = ReportPage.resource("errors.js");
    private static final String EXTRA_CSS = """
            table.units td.failed { color: #b3261e; font-weight: 600 }
            table.units td.missing { color: #8a5a00; font-weight: 600 }
            .unit-bar.passed { fill: #2e7d32 } .unit-bar.failed { fill: #c62828 }
            """;
    private static final double X0 = 150, WIDTH = 760, LANE = 28;

    private final SuiteReportData data;
    private final StringBuilder out = new StringBuilder(32 * 1024);

    private SuitePage(SuiteReportData data) {
        this.data = data;
    }

    /** The whole page. */
    public static String render(SuiteReportData data) {
        return new SuitePage(data).page();
    }

    private String page() {
        boolean passed = data.passed();
        out.append("<!DOCTYPE html>\n<html lang=\"en\" data-js-errors=\"0\">\n<head>\n<meta charset=\"utf-8\">\n");
        out.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        out.append("<title>")
                .append(passed ? "PASS " : "FAIL ")
                .append(Html.esc(data.title()))
                .append(" — vmcluster suite</title>\n");
        out.append("<script>").append(ERRORS_JS).append("</script>\n");
        out.append("<style>").append(CSS).append(EXTRA_CSS).append("</style>\n</head>\n");
        out.append("<body class=\"").append(passed ? "passed" : "failed").append("\">\n");
        header(passed);
        missing();
        failures();
        timeline();
        units();
        out.append("<footer>Made by vmcluster from this directory at ")
                .append(UTC.format(data.generated().atOffset(ZoneOffset.UTC)))
                .append(
                        ". Rebuild it with <code>vmcluster report DIR</code>; each unit's own page is in its directory.")
                .append("</footer>\n</body>\n</html>\n");
        return out.toString();
    }

    private void header(boolean passed) {
        out.append("<header id=\"run\" class=\"run ")
                .append(passed ? "passed" : "failed")
                .append("\">\n");
        out.append("<div class=\"verdict\" id=\"verdict\">")
                .append(passed ? "PASSED" : "FAILED")
                .append("</div>\n<div class=\"headline\"><h1>")
                .append(Html.esc(data.title()))
                .append("</h1>\n<p class=\"tally\">");
        long unitsPassed = data.units().stream().filter(UnitRun::passed).count();
        long missing =
                data.units().stream().filter(u -> data.missingOf(u) != null).count();
        long notHere = data.units().size() - data.ran().size() - missing;
        out.append("<span class=\"count passed\">")
                .append(unitsPassed)
                .append(" of ")
                .append(data.units().size())
                .append(" runs passed</span>");
        if (missing > 0) {
            out.append(", <span class=\"count failed\">").append(missing).append(" missing</span>");
        }
        if (notHere > 0) {
            out.append(", <span class=\"count failed\">").append(notHere).append(" not here</span>");
        }
        out.append(" · tests: <span class=\"count passed\">")
                .append(data.count(Outcome.PASSED))
                .append(" passed</span>, <span class=\"count failed\">")
                .append(data.count(Outcome.FAILED))
                .append(" failed</span>, <span class=\"count skipped\">")
                .append(data.count(Outcome.SKIPPED))
                .append(" skipped</span>");
        out.append("</p>\n<dl class=\"facts\">");
        fact("shards", data.shardCount() + (data.shardCount() == 1 ? " (one machine)" : ""));
        List<String> hosts = data.ran().stream()
                .map(UnitRun::host)
                .filter(h -> !h.isEmpty())
                .distinct()
                .toList();
        if (!hosts.isEmpty()) fact("machines", hosts.size() + " (" + String.join(", ", hosts) + ")");
        if (data.start() != null) {
            fact("started", UTC.format(data.start().atOffset(ZoneOffset.UTC)));
            fact("wall time", Durations.format(data.wallTime()) + " (first start to last end)");
            fact("machine time", Durations.format(data.machineTime()) + " (the units' times added)");
        }
        out.append("</dl></div>\n</header>\n");
    }

    private void fact(String k, String v) {
        out.append("<dt>")
                .append(Html.esc(k))
                .append("</dt><dd>")
                .append(Html.esc(v))
                .append("</dd>");
    }

    /** The shards a merge went without (--allow-missing): which, their units, and why. */
    private void missing() {
        if (data.missing().isEmpty()) return;
        out.append("<section id=\"missing\" class=\"failures\"><h2>Missing shards</h2>\n<p>Merged without ")
                .append(data.missing().size() == 1 ? "this shard" : "these shards")
                .append(" (<code>vmcluster merge --allow-missing</code>): their runs did not run here, so the suite"
                        + " did not pass. Merge again with every shard's directory.</p>\n<ul>\n");
        for (MissingShard m : data.missing()) {
            out.append("<li class=\"missing-shard\"><b>shard ")
                    .append(m.shard())
                    .append('/')
                    .append(m.count())
                    .append(m.partly() ? " in part" : "")
                    .append("</b>: ")
                    .append(Html.esc(m.units().isEmpty() ? "no units" : "runs " + String.join(", ", m.units())))
                    .append(" <span class=\"dim\">(")
                    .append(Html.esc(m.reason()))
                    .append(")</span></li>\n");
        }
        out.append("</ul></section>\n");
    }

    private void failures() {
        List<UnitRun> bad = data.units().stream().filter(u -> !u.passed()).toList();
        if (bad.isEmpty()) return;
        out.append("<section id=\"failures\" class=\"failures\"><h2>What failed</h2>\n");
        for (UnitRun u : bad) {
            out.append("<div class=\"failure\"><a href=\"#unit-")
                    .append(Html.esc(anchor(u.id())))
                    .append("\">")
                    .append(Html.esc(u.id()))
                    .append("</a>");
            MissingShard gone = data.missingOf(u);
            if (gone != null) {
                out.append(" — <b>missing</b>: shard ")
                        .append(gone.shard())
                        .append('/')
                        .append(gone.count())
                        .append(" was merged without (")
                        .append(Html.esc(gone.reason()))
                        .append(")</div>\n");
                continue;
            }
            if (u.run() == null) {
                out.append(" — <b>no results here</b>: shard ")
                        .append(u.shard())
                        .append(" did not run it, or its directory was not merged</div>\n");
                continue;
            }
            if (u.run().subtests().isEmpty()) {
                out.append(" — no test ran (see its <a href=\"")
                        .append(Html.esc(Html.href(u.id() + "/run.log")))
                        .append("\">run.log</a>)");
            }
            out.append(onWhere(u)).append("\n");
            List<SubtestReport> tests = u.run().subtests();
            for (int i = 0; i < tests.size(); i++) {
                SubtestReport s = tests.get(i);
                if (s.outcome() != Outcome.FAILED) continue;
                out.append("<div>test <a href=\"")
                        .append(Html.esc(Html.href(u.id() + "/report.html")))
                        .append("#test-")
                        .append(i + 1)
                        .append("\">")
                        .append(Html.esc(s.name()))
                        .append("</a><pre>")
                        .append(Html.esc(ReportPage.clip(s.message(), 12)))
                        .append("</pre></div>\n");
            }
            out.append("</div>\n");
        }
        out.append("</section>\n");
    }

    private String onWhere(UnitRun u) {
        return " <span class=\"dim\">(shard " + u.shard() + (u.host().isEmpty() ? "" : " on " + Html.esc(u.host()))
                + (u.seed() == null ? "" : ", seed " + Html.esc(u.seed())) + ")</span>";
    }

    /** One lane per shard, one bar per unit from its start to its end, on the wall clock. */
    private void timeline() {
        Instant start = data.start();
        if (start == null) return;
        Duration span = data.wallTime();
        TimeScale scale = new TimeScale(start, span, X0, WIDTH);
        int lanes = data.shardCount();
        double height = 24 + lanes * LANE + 8;
        out.append("<section id=\"timeline\"><h2>Timeline</h2>\n<div class=\"chart-box\">");
        out.append("<svg class=\"chart\" width=\"")
                .append(Svg.num(X0 + WIDTH + 20))
                .append("\" height=\"")
                .append(Svg.num(height))
                .append("\" role=\"img\" aria-label=\"units per shard over time\">\n");
        for (long t : scale.ticks(70)) {
            double x = scale.x(t);
            out.append("<line class=\"grid\" x1=\"")
                    .append(Svg.num(x))
                    .append("\" y1=\"18\" x2=\"")
                    .append(Svg.num(x))
                    .append("\" y2=\"")
                    .append(Svg.num(height - 4))
                    .append("\"/><text class=\"tick\" x=\"")
                    .append(Svg.num(x))
                    .append("\" y=\"12\" text-anchor=\"middle\">")
                    .append(Html.esc(scale.label(t)))
                    .append("</text>\n");
        }
        for (int k = 1; k <= lanes; k++) {
            double y = 24 + (k - 1) * LANE;
            final int shard = k;
            List<UnitRun> mine =
                    data.ran().stream().filter(u -> u.shard() == shard).toList();
            String host = mine.stream()
                    .map(UnitRun::host)
                    .filter(h -> !h.isEmpty())
                    .findFirst()
                    .orElse("");
            out.append("<text class=\"row-label\" x=\"4\" y=\"")
                    .append(Svg.num(y + 15))
                    .append("\">shard ")
                    .append(k)
                    .append(host.isEmpty() ? "" : " · " + Html.esc(shorten(host)))
                    .append("</text>\n");
            for (UnitRun u : mine) {
                double x1 = scale.x(u.run().started());
                double x2 = Math.max(x1 + 2, scale.x(u.ended()));
                out.append("<a href=\"#unit-")
                        .append(Html.esc(anchor(u.id())))
                        .append("\"><rect class=\"unit-bar ")
                        .append(u.passed() ? "passed" : "failed")
                        .append("\" x=\"")
                        .append(Svg.num(x1))
                        .append("\" y=\"")
                        .append(Svg.num(y + 2))
                        .append("\" width=\"")
                        .append(Svg.num(x2 - x1))
                        .append("\" height=\"")
                        .append(Svg.num(LANE - 8))
                        .append("\" rx=\"2\"><title>")
                        .append(Html.esc(u.id() + ": " + (u.passed() ? "passed" : "failed") + ", "
                                + Durations.format(u.run().duration()) + ", from "
                                + scale.at(u.run().started())))
                        .append("</title></rect></a>\n");
            }
        }
        out.append("</svg></div>\n</section>\n");
    }

    private void units() {
        out.append("<section id=\"units\"><h2>Runs</h2>\n<table class=\"units\"><thead><tr><th>unit</th><th>result</th>"
                + "<th>tests</th><th>took</th><th>shard</th><th>host</th><th>seed</th><th>scenario file</th>"
                + "<th>files</th></tr></thead><tbody>\n");
        for (UnitRun u : data.units()) {
            out.append("<tr id=\"unit-").append(Html.esc(anchor(u.id()))).append("\"><td><b>");
            out.append(Html.esc(u.id())).append("</b></td>");
            if (u.run() == null) {
                out.append("<td class=\"missing\">")
                        .append(data.missingOf(u) != null ? "missing" : "not here")
                        .append("</td><td></td><td></td>");
            } else {
                out.append("<td class=\"")
                        .append(u.passed() ? "passed" : "failed")
                        .append("\">")
                        .append(u.passed() ? "passed" : "failed")
                        .append("</td><td class=\"num\">")
                        .append(u.run().count(Outcome.PASSED))
                        .append(" / ")
                        .append(u.run().count(Outcome.FAILED))
                        .append(" / ")
                        .append(u.run().count(Outcome.SKIPPED))
                        .append("</td><td class=\"num\">")
                        .append(Html.esc(Durations.format(u.run().duration())))
                        .append("</td>");
            }
            out.append("<td class=\"num\">")
                    .append(u.shard())
                    .append('/')
                    .append(data.shardCount())
                    .append("</td><td>")
                    .append(Html.esc(u.host()))
                    .append("</td><td>")
                    .append(Html.esc(u.seed() == null ? "" : u.seed()))
                    .append("</td><td><code>")
                    .append(Html.esc(u.file()))
                    .append("</code></td><td>");
            if (u.run() != null) {
                for (String f : List.of("report.html", "test-output.xml", "run.log", "events.jsonl")) {
                    out.append("<a href=\"")
                            .append(Html.esc(Html.href(u.id() + "/" + f)))
                            .append("\">")
                            .append(f)
                            .append("</a> ");
                }
            }
            out.append("</td></tr>\n");
        }
        out.append("</tbody></table>\n<p class=\"dim\">tests: passed / failed / skipped.</p></section>\n");
    }

    private static String anchor(String id) {
        return id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-");
    }

    private static String shorten(String host) {
        return host.length() <= 14 ? host : host.substring(0, 13) + "…";
    }
}
