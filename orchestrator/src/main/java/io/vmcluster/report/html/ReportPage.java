package io.vmcluster.report.html;

import io.vmcluster.cluster.NodeState;
import io.vmcluster.report.Outcome;
import io.vmcluster.report.ReportData;
import io.vmcluster.report.ResultsFiles;
import io.vmcluster.report.RunReport;
import io.vmcluster.report.RunTimeline;
import io.vmcluster.report.StepReport;
import io.vmcluster.report.SubtestReport;
import io.vmcluster.time.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report page: one HTML file with its CSS, script and charts inline, so it opens offline from
 * a CI artifact. Sections, top to bottom: the verdict and the run's facts; what failed; the
 * timeline; the workloads and their checkers' verdicts; the tests with their steps; output kept for the summary; the nodes with their files;
 * the run's files. See docs/report.md.
 */
public final class ReportPage {
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");
    private static final String CSS = resource("report.css");
    private static final String ERRORS_JS = resource("errors.js");
    private static final String JS = resource("report.js");

    private final ReportData data;
    private final RunReport run;
    private final RunTimeline timeline;
    private final StringBuilder out = new StringBuilder(64 * 1024);

    private ReportPage(ReportData data) {
        this.data = data;
        this.run = data.run();
        this.timeline = data.timeline();
    }

    /** The whole page. */
    public static String render(ReportData data) {
        return new ReportPage(data).page();
    }

    private String page() {
        String verdict = run.passed() ? "passed" : "failed";
        out.append("<!DOCTYPE html>\n<html lang=\"en\" data-js-errors=\"0\">\n<head>\n<meta charset=\"utf-8\">\n");
        out.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        out.append("<title>")
                .append(run.passed() ? "PASS " : "FAIL ")
                .append(Html.esc(run.scenario()))
                .append(" — vmcluster</title>\n");
        out.append("<script>").append(ERRORS_JS).append("</script>\n");
        out.append("<style>").append(CSS).append("</style>\n</head>\n");
        out.append("<body class=\"").append(verdict).append("\">\n");
        header();
        failures();
        timelineSection();
        new WorkloadSection(data.workloads(), timeline.faults(), TimelineChart.scaleFor(timeline), out).render();
        tests();
        summaries();
        nodes();
        runFiles();
        problems();
        out.append("<footer>Made by vmcluster from this directory at ")
                .append(UTC.format(data.generated().atOffset(ZoneOffset.UTC)))
                .append(". Rebuild it with <code>vmcluster report DIR</code>. Times are seconds since the run began.")
                .append("</footer>\n");
        out.append("<script>").append(JS).append("</script>\n</body>\n</html>\n");
        return out.toString();
    }

    private void header() {
        boolean passed = run.passed();
        out.append("<header id=\"run\" class=\"run ")
                .append(passed ? "passed" : "failed")
                .append("\">\n");
        out.append("<div class=\"verdict\" id=\"verdict\">")
                .append(passed ? "PASSED" : "FAILED")
                .append("</div>\n");
        out.append("<div class=\"headline\"><h1>")
                .append(Html.esc(run.scenario()))
                .append("</h1>\n");
        out.append("<p class=\"tally\">");
        tally(Outcome.PASSED, "passed");
        out.append(", ");
        tally(Outcome.FAILED, "failed");
        out.append(", ");
        tally(Outcome.SKIPPED, "skipped");
        out.append(" · ").append(Html.esc(Durations.format(run.duration())));
        out.append(" · started ").append(UTC.format(run.started().atOffset(ZoneOffset.UTC)));
        out.append("</p>\n");
        Map<String, String> facts = new LinkedHashMap<>();
        RunTimeline.RunFacts f = timeline.facts();
        if (f.file() != null) facts.put("scenario file", f.file());
        facts.put("nodes", nodeSummary());
        if (f.clusterReadyAt() != null) {
            facts.put(
                    "cluster ready",
                    "after " + Durations.format(Duration.between(timeline.origin(), f.clusterReadyAt())));
        }
        if (f.seed() != null) facts.put("seed", f.seed());
        if (!f.params().isEmpty()) {
            StringBuilder p = new StringBuilder();
            f.params()
                    .forEach((k, v) -> p.append(p.length() == 0 ? "" : "  ")
                            .append(k)
                            .append('=')
                            .append(v));
            facts.put("params", p.toString());
        }
        if (f.error() != null) facts.put("run error", firstLine(f.error()));
        if (!data.workloads().isEmpty()) facts.put("checkers", checkerSummary());
        out.append("<dl class=\"facts\">");
        facts.forEach((k, v) -> out.append("<dt>")
                .append(Html.esc(k))
                .append("</dt><dd>")
                .append(Html.esc(v))
                .append("</dd>"));
        out.append("</dl></div>\n</header>\n");
    }

    private String checkerSummary() {
        StringBuilder s = new StringBuilder();
        for (io.vmcluster.report.WorkloadReport w : data.workloads()) {
            if (s.length() > 0) s.append("; ");
            s.append(w.name()).append(": ");
            if (!w.checked()) {
                s.append("not checked");
                continue;
            }
            s.append(w.validity().wireName().toUpperCase(Locale.ROOT));
            List<String> bad = w.verdicts().stream()
                    .filter(v -> !v.validity().passed())
                    .map(v -> v.checker() + " " + v.validity().wireName())
                    .toList();
            if (!bad.isEmpty()) s.append(" (").append(String.join(", ", bad)).append(')');
            else s.append(" (").append(w.verdicts().size()).append(" checkers)");
        }
        return s.toString();
    }

    private void tally(Outcome o, String word) {
        out.append("<span class=\"count ")
                .append(TimelineChart.outcomeClass(o))
                .append("\">")
                .append(run.count(o))
                .append(' ')
                .append(word)
                .append("</span>");
    }

    private String nodeSummary() {
        List<String> nodes = timeline.nodes();
        if (nodes.isEmpty()) return "none started";
        Map<String, Integer> accels = new LinkedHashMap<>();
        for (List<RunTimeline.NodeSpan> spans : timeline.states().values()) {
            spans.stream()
                    .map(RunTimeline.NodeSpan::accelerator)
                    .filter(a -> a != null)
                    .reduce((a, b) -> b)
                    .ifPresent(a -> accels.merge(a.toLowerCase(Locale.ROOT), 1, Integer::sum));
        }
        return nodes.size() + " (" + String.join(", ", nodes) + ")"
                + (accels.isEmpty() ? "" : " on " + String.join(", ", accels.keySet()));
    }

    /** The first thing a reader needs when the run failed: which test, which step, why. */
    private void failures() {
        List<SubtestReport> failed = run.subtests().stream()
                .filter(s -> s.outcome() == Outcome.FAILED)
                .toList();
        if (failed.isEmpty()) return;
        out.append("<section id=\"failures\" class=\"failures\"><h2>What failed</h2>\n");
        for (SubtestReport s : failed) {
            out.append("<div class=\"failure\"><a href=\"#test-")
                    .append(run.subtests().indexOf(s) + 1)
                    .append("\">")
                    .append(Html.esc(s.name()))
                    .append("</a>");
            StepReport step = failedStep(s);
            if (step != null) {
                out.append(" — step <code>").append(Html.esc(step.step())).append("</code>");
                if (step.node() != null)
                    out.append(" on <b>").append(Html.esc(step.node())).append("</b>");
                out.append(" at ").append(Html.esc(at(step.started().plus(step.durationOrZero()))));
            }
            out.append("<pre>").append(Html.esc(clip(s.message(), 40))).append("</pre></div>\n");
        }
        out.append("</section>\n");
    }

    private static StepReport failedStep(SubtestReport s) {
        StepReport found = null;
        for (StepReport step : s.steps()) {
            if (step.outcome() == Outcome.FAILED && step.depth() == 0) found = step;
        }
        return found;
    }

    private void timelineSection() {
        out.append("<section id=\"timeline\"><h2>Timeline</h2>\n");
        out.append("<div class=\"legend\">");
        legend("state booting", "booting");
        legend("state ready", "ready");
        legend("state paused", "paused");
        legend("state stopping", "stopping");
        legend("state stopped", "stopped");
        legend("state crashed", "crashed");
        out.append("<span class=\"sep\"></span>");
        legend("fault", "fault (band: in effect)");
        legend("test-bar passed", "test passed");
        legend("test-bar failed", "test failed");
        legend("step failed", "failed step");
        if (!data.workloads().isEmpty()) {
            out.append("<span class=\"sep\"></span>");
            legend("role leader", "leader (probe)");
            legend("op ok", "op ok");
            legend("op fail", "op fail");
            legend("op info", "op info");
        }
        out.append("</div>\n<div class=\"chart-box\">");
        new TimelineChart(timeline, run, TimelineChart.scaleFor(timeline), data.workloads()).render(out);
        out.append("</div>\n</section>\n");
    }

    private void legend(String cls, String text) {
        out.append("<span class=\"key\"><svg width=\"14\" height=\"10\"><rect class=\"")
                .append(cls)
                .append("\" width=\"14\" height=\"10\" rx=\"2\"/></svg>")
                .append(Html.esc(text))
                .append("</span>");
    }

    private void tests() {
        out.append("<section id=\"tests\"><h2>Tests</h2>\n");
        int index = 0;
        for (SubtestReport s : run.subtests()) {
            index++;
            String cls = TimelineChart.outcomeClass(s.outcome());
            out.append("<details class=\"test ")
                    .append(cls)
                    .append("\" id=\"test-")
                    .append(index)
                    .append('"')
                    .append(s.outcome() == Outcome.FAILED ? " open" : "")
                    .append("><summary><span class=\"badge ")
                    .append(cls)
                    .append("\">")
                    .append(badge(s.outcome()))
                    .append("</span> ")
                    .append(Html.esc(s.name()))
                    .append(" <span class=\"dim\">")
                    .append(Html.esc(Durations.format(s.duration())))
                    .append(s.started() == null ? "" : ", from " + at(s.started()))
                    .append("</span></summary>\n");
            if (!s.steps().isEmpty()) {
                out.append("<table class=\"steps\"><thead><tr><th>at</th><th>step</th><th>took</th><th></th>"
                        + "</tr></thead><tbody>\n");
                for (StepReport step : s.steps()) {
                    step(step);
                }
                out.append("</tbody></table>\n");
            }
            if (!s.message().isEmpty()) {
                out.append("<pre class=\"message\">")
                        .append(Html.esc(s.message()))
                        .append("</pre>\n");
            }
            out.append("</details>\n");
        }
        out.append("</section>\n");
    }

    private void step(StepReport step) {
        boolean ok = step.outcome() == Outcome.PASSED;
        out.append("<tr class=\"")
                .append(ok ? "ok" : "failed")
                .append("\"><td class=\"num\">")
                .append(Html.esc(at(step.started())))
                .append("</td><td style=\"padding-left:")
                .append(6 + 14 * step.depth())
                .append("px\"><code>")
                .append(Html.esc(step.step()))
                .append("</code>");
        if (!step.at().isEmpty()) {
            out.append(" <span class=\"dim\">").append(Html.esc(step.at())).append("</span>");
        }
        if (!ok && !step.error().isEmpty()) {
            out.append("<pre>").append(Html.esc(clip(step.error(), 30))).append("</pre>");
        }
        out.append("</td><td class=\"num\">")
                .append(step.ended() ? Html.esc(Durations.format(step.duration())) : "—")
                .append("</td><td>")
                .append(ok ? "ok" : step.ended() ? "<b>failed</b>" : "<b>never ended</b>")
                .append("</td></tr>\n");
    }

    private void summaries() {
        if (run.summaries().isEmpty()) return;
        out.append("<section id=\"summary\"><h2>Output kept for the summary</h2>\n<table class=\"summary\">");
        for (RunReport.Summary s : run.summaries()) {
            out.append("<tr><td>")
                    .append(Html.esc(s.node() == null ? "" : s.node()))
                    .append("</td><td><div class=\"dim\">")
                    .append(Html.esc(s.title()))
                    .append("</div><pre>")
                    .append(Html.esc(clip(s.text(), 40)))
                    .append("</pre></td></tr>\n");
        }
        out.append("</table></section>\n");
    }

    private void nodes() {
        out.append("<section id=\"nodes\"><h2>Nodes</h2>\n<table class=\"nodes\"><thead><tr><th>node</th>"
                + "<th>at the end</th><th>boots</th><th>files</th></tr></thead><tbody>\n");
        for (String node : timeline.nodes()) {
            List<RunTimeline.NodeSpan> spans = timeline.states().getOrDefault(node, List.of());
            String last = spans.isEmpty()
                    ? "—"
                    : spans.get(spans.size() - 1).state().name().toLowerCase(Locale.ROOT);
            long boots =
                    spans.stream().filter(s -> s.state() == NodeState.BOOTING).count();
            out.append("<tr id=\"node-")
                    .append(Html.esc(node))
                    .append("\"><td><b>")
                    .append(Html.esc(node))
                    .append("</b></td><td>")
                    .append(Html.esc(last))
                    .append("</td><td class=\"num\">")
                    .append(boots)
                    .append("</td><td>");
            fileLinks(data.files().nodes().getOrDefault(node, List.of()), node + "/");
            String tail = data.serialTails().get(node);
            if (tail != null && !tail.isBlank()) {
                out.append("<details><summary>last lines of the serial log</summary><pre>")
                        .append(Html.esc(tail))
                        .append("</pre></details>");
            }
            out.append("</td></tr>\n");
        }
        out.append("</tbody></table></section>\n");
    }

    private void runFiles() {
        out.append("<section id=\"files\"><h2>Files of the run</h2><p>");
        fileLinks(data.files().run(), "");
        if (!data.files().captures().isEmpty()) {
            out.append("</p><p>Packet captures: ");
            fileLinks(data.files().captures(), "captures/");
        }
        out.append("</p></section>\n");
    }

    private void fileLinks(List<ResultsFiles.Entry> files, String prefix) {
        if (files.isEmpty()) {
            out.append("<span class=\"dim\">none</span>");
            return;
        }
        out.append("<ul class=\"files\">");
        for (ResultsFiles.Entry e : files) {
            String shown = e.path().startsWith(prefix) ? e.path().substring(prefix.length()) : e.path();
            out.append("<li><a href=\"")
                    .append(Html.esc(Html.href(e.path())))
                    .append("\">")
                    .append(Html.esc(shown))
                    .append("</a> <span class=\"dim\">")
                    .append(size(e.bytes()))
                    .append("</span></li>");
        }
        out.append("</ul>");
    }

    private void problems() {
        if (data.problems().isEmpty()) return;
        out.append("<section id=\"problems\"><h2>Lines of events.jsonl that could not be read</h2><pre>");
        data.problems().stream().limit(50).forEach(p -> out.append(Html.esc(p)).append('\n'));
        if (data.problems().size() > 50)
            out.append("… and ").append(data.problems().size() - 50).append(" more\n");
        out.append("</pre></section>\n");
    }

    private String at(Instant t) {
        long ms = Duration.between(timeline.origin(), t).toMillis();
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private static String badge(Outcome o) {
        return switch (o) {
            case PASSED -> "PASS";
            case FAILED -> "FAIL";
            case SKIPPED -> "SKIP";
        };
    }

    private static String size(long bytes) {
        if (bytes < 0) return "";
        if (bytes < 1024) return bytes + " B";
        if (bytes < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }

    /** At most {@code lines} lines of the text, saying how many were left out. */
    static String clip(String text, int lines) {
        String[] all = text.split("\n", -1);
        if (all.length <= lines) return text;
        return String.join("\n", java.util.Arrays.copyOf(all, lines)) + "\n… (" + (all.length - lines)
                + " more lines in run.log)";
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static String resource(String name) {
        try (InputStream in = ReportPage.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("report resource " + name + " is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
