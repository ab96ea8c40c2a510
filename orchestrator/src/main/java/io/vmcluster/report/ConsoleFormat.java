package io.vmcluster.report;

import io.vmcluster.events.Event;
import io.vmcluster.events.EventKind;
import io.vmcluster.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns run events into the lines a person reads while a run goes: one per node as it boots (with
 * seconds), one per step, faults as they start and end, one verdict per test, then the summary.
 * Depends only on the events, so the console and {@code run.log} show the same thing and tests can
 * check the text.
 */
public final class ConsoleFormat {
    private final Style style;
    private final Map<String, Instant> bootingSince = new HashMap<>();
    private Instant origin;
    private boolean clusterReady;

    public ConsoleFormat(Style style) {
        this.style = style;
    }

    /** The lines for one event (often none), prefixed with the seconds since the run began. */
    public List<String> lines(Event e) {
        if (origin == null || e.is(EventKind.RUN_START)) {
            origin = e.time();
        }
        Map<String, Object> f = e.fields();
        String at = style.dim(String.format(Locale.ROOT, "[%6.1fs]", seconds(Duration.between(origin, e.time()))));
        List<String> out = new ArrayList<>();
        switch (e.type()) {
            case RUN_START ->
                out.add(style.bold("Running " + f.get("scenario")
                        + (f.get("nodes") instanceof List<?> nodes ? " on " + nodes.size() + " nodes" : "")
                        + (f.get("seed") == null
                                ? ""
                                : (Boolean.TRUE.equals(f.get("replay"))
                                                ? ", replaying the schedule of seed "
                                                : ", seed ")
                                        + f.get("seed"))));
            case NODE_STATE -> nodeState(e, at, out);
            case NODE_ACCEL_FALLBACK ->
                out.add(at + " " + style.yellow("KVM failed on " + e.node() + ": every node runs under TCG") + " ("
                        + f.get("reason") + ")");
            case NODE_DISPLAY -> out.add(at + " " + e.node() + " screen: VNC on " + f.get("vnc"));
            case CLUSTER_READY -> {
                if (!clusterReady) { // the runtime and the runner both say so
                    clusterReady = true;
                    out.add(at + " " + style.green("cluster ready"));
                }
            }
            case CLUSTER_FAILED -> out.add(at + " " + style.red(String.valueOf(f.get("error"))));
            case CLUSTER_WARM_START ->
                out.add(at + " " + style.green("started warm") + " from the cached formed cluster " + f.get("entry")
                        + " (snapshot '" + f.get("snapshot") + "' of " + f.get("created") + ", "
                        + f.get("total_ms") + " ms)");
            case CLUSTER_WARM_START_FAILED ->
                out.add(at + " " + style.yellow("warm start failed, booting") + ": " + f.get("error"));
            case CLUSTER_WARM_CACHE ->
                out.add(at + "   "
                        + (f.get("error") == null
                                ? "cached the formed cluster as " + f.get("entry") + " ("
                                        + (f.get("bytes") instanceof Number b ? b.longValue() >> 20 : "?") + " MiB, "
                                        + f.get("ms") + " ms): the next run starts warm"
                                : style.yellow("the formed cluster was not cached") + ": " + f.get("error")));
            case TEST_START -> out.add(style.bold("── " + f.get("test")));
            case STEP_END -> {
                boolean ok = Outcome.parse(f.get("ok")) == Outcome.PASSED;
                out.add(at + "   " + (ok ? style.green("ok  ") : style.red("FAIL")) + " " + f.get("step")
                        + took(f.get("ms")));
                if (!ok && f.get("error") != null) {
                    indent(out, f.get("error").toString(), "            ");
                }
            }
            case FAULT_START -> out.add(at + "   " + style.yellow("fault ") + " " + fault(f));
            case FAULT_END -> out.add(at + "   " + style.yellow("healed") + " " + fault(f));
            case FAULT_INSTANT -> out.add(at + "   " + style.yellow("fault ") + " " + fault(f));
            case FAULT_ERROR ->
                out.add(at + "   " + style.red("fault failed") + " " + fault(f) + ": " + f.get("error"));
            case LOG -> out.add(at + "   " + f.get("message"));
            case TEST_END ->
                out.add(verdict(
                        String.valueOf(f.get("test")),
                        Outcome.parse(f.get("status")),
                        RunRecorder.millis(f.get("ms"))));
            default -> {}
        }
        return out;
    }

    private void nodeState(Event e, String at, List<String> out) {
        String state = String.valueOf(e.fields().get("state"));
        String node = e.node();
        switch (state) {
            case "BOOTING" -> {
                bootingSince.put(node, e.time());
                Object accel = e.fields().get("accelerator");
                out.add(at + " " + node + " booting" + (accel == null ? "" : " (" + accel + ")"));
            }
            case "READY" -> {
                Instant since = bootingSince.remove(node);
                out.add(at + " " + node + " " + style.green("ready")
                        + (since == null ? "" : " after " + Durations.format(Duration.between(since, e.time()))));
            }
            case "CRASHED" -> out.add(at + " " + node + " " + style.red("crashed") + reason(e));
            case "NOT_STARTED" -> {}
            default -> out.add(at + " " + node + " " + state.toLowerCase(Locale.ROOT) + reason(e));
        }
    }

    /** {@code PASS name (1.2 s)} in colour. */
    public String verdict(String test, Outcome outcome, Duration took) {
        String word = switch (outcome) {
            case PASSED -> style.green("PASS");
            case FAILED -> style.red("FAIL");
            case SKIPPED -> style.yellow("SKIP");
        };
        return word + " " + test + (took == null ? "" : " (" + Durations.format(took) + ")");
    }

    /** The end-of-run block: outputs marked with {@code show}, each verdict again, the tally. */
    public List<String> summary(RunReport report) {
        List<String> out = new ArrayList<>();
        out.add("");
        if (!report.summaries().isEmpty()) {
            out.add(style.bold("Summary"));
            Map<String, List<RunReport.Summary>> byTitle = new java.util.LinkedHashMap<>();
            report.summaries()
                    .forEach(s -> byTitle.computeIfAbsent(s.title(), k -> new ArrayList<>())
                            .add(s));
            byTitle.forEach((title, shown) -> {
                out.add("  " + title);
                for (RunReport.Summary s : shown) {
                    String text = s.text().strip();
                    String who = "    " + (s.node() == null ? "" : s.node() + ": ");
                    if (text.contains("\n")) {
                        out.add(who.stripTrailing());
                        indent(out, text, "      ");
                    } else {
                        out.add(who + text);
                    }
                }
            });
            out.add("");
        }
        for (SubtestReport s : report.subtests()) {
            out.add(verdict(s.name(), s.outcome(), s.duration()));
            if (s.outcome() != Outcome.PASSED && !s.message().isEmpty()) {
                indent(out, s.message(), "    ");
            }
        }
        String tally = String.format(
                Locale.ROOT,
                "%d passed, %d failed, %d skipped in %s",
                report.count(Outcome.PASSED),
                report.count(Outcome.FAILED),
                report.count(Outcome.SKIPPED),
                Durations.format(report.duration()));
        out.add(report.passed() ? style.green("All tests passed: " + tally) : style.red("Tests failed: " + tally));
        return out;
    }

    private static String fault(Map<String, Object> f) {
        Object target = f.get("target");
        Object params = f.get("params");
        if (target != null) {
            return f.get("faultKind") + " " + target; // the parameters are in events.jsonl
        }
        return f.get("faultKind") + (params instanceof Map<?, ?> m && !m.isEmpty() ? " " + m : "");
    }

    private static String reason(Event e) {
        Object r = e.fields().get("reason");
        return r == null ? "" : " (" + r + ")";
    }

    private static void indent(List<String> out, String text, String prefix) {
        for (String line : text.split("\\R", -1)) {
            out.add(prefix + line);
        }
    }

    private static String took(Object ms) {
        Duration d = RunRecorder.millis(ms);
        return d == null ? "" : " (" + Durations.format(d) + ")";
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
