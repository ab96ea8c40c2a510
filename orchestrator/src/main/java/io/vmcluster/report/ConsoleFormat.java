package io.vmcluster.report;

import io.vmcluster.events.Event;
import io.vmcluster.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns run events into the lines a person reads while a run goes: one per node as it boots,
 * one per step, one verdict per subtest, then the summary. Pure functions of the events, so the
 * console and {@code run.log} show the same thing and tests can check the text.
 */
public final class ConsoleFormat {
    private final Style style;
    private Instant origin;

    public ConsoleFormat(Style style) {
        this.style = style;
    }

    /** The lines for one event (often none), with the seconds since the run began. */
    public List<String> lines(Event e) {
        if (origin == null || RunEvents.RUN_START.equals(e.kind())) {
            origin = e.time();
        }
        Map<String, Object> f = e.fields();
        String at = style.dim(String.format(Locale.ROOT, "[%6.1fs]", secondsSince(e.time())));
        List<String> out = new ArrayList<>();
        switch (e.kind()) {
            case RunEvents.RUN_START -> out.add(style.bold("Running scenario " + f.get(RunEvents.SCENARIO)));
            case RunEvents.NODE_BOOT -> out.add(at + " " + e.node() + " booting");
            case RunEvents.NODE_READY -> out.add(at + " " + e.node() + " " + style.green("up") + took(f));
            case RunEvents.NODE_FAILED ->
                out.add(at + " " + e.node() + " " + style.red("failed to boot") + ": " + f.get(RunEvents.MESSAGE));
            case RunEvents.SUBTEST_START -> out.add(style.bold("── " + f.get(RunEvents.SUBTEST)));
            case RunEvents.STEP_END -> {
                Outcome o = Outcome.parse(f.get(RunEvents.OUTCOME));
                String mark = o == Outcome.PASSED ? style.green("ok  ") : style.red("FAIL");
                out.add(at + "   " + mark + " " + stepName(e) + took(f));
                if (o == Outcome.FAILED && f.get(RunEvents.MESSAGE) != null) {
                    indent(out, f.get(RunEvents.MESSAGE).toString(), "          ");
                }
            }
            case RunEvents.FAULT_START -> out.add(at + "   " + style.yellow("fault") + " " + f.get("fault") + on(e));
            case RunEvents.FAULT_END -> out.add(at + "   " + style.yellow("healed") + " " + f.get("fault") + on(e));
            case RunEvents.SUBTEST_END ->
                out.add(verdict(
                        String.valueOf(f.get(RunEvents.SUBTEST)),
                        Outcome.parse(f.get(RunEvents.OUTCOME)),
                        millis(f.get(RunEvents.DURATION_MS))));
            default -> {}
        }
        return out;
    }

    /** {@code PASS name (1.2 s)} in colour. */
    public String verdict(String subtest, Outcome outcome, Duration took) {
        String word = switch (outcome) {
            case PASSED -> style.green("PASS");
            case FAILED -> style.red("FAIL");
            case SKIPPED -> style.yellow("SKIP");
        };
        return word + " " + subtest + (took == null ? "" : " (" + Durations.format(took) + ")");
    }

    /** The end-of-run block: marked outputs, failures again, and the tally. */
    public List<String> summary(RunReport report) {
        List<String> out = new ArrayList<>();
        out.add("");
        if (!report.summaries().isEmpty()) {
            out.add(style.bold("Summary"));
            for (RunReport.Summary s : report.summaries()) {
                out.add("  " + (s.node() == null ? "" : s.node() + ": ") + s.title());
                indent(out, s.text().strip(), "    ");
            }
            out.add("");
        }
        for (SubtestReport s : report.subtests()) {
            out.add(verdict(s.name(), s.outcome(), s.duration()));
            if (s.outcome() == Outcome.FAILED && !s.message().isEmpty()) {
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

    private static void indent(List<String> out, String text, String prefix) {
        for (String line : text.split("\\R", -1)) {
            out.add(prefix + line);
        }
    }

    private String stepName(Event e) {
        Object step = e.fields().get(RunEvents.STEP);
        String name = step == null ? "step" : step.toString();
        return e.node() == null || name.startsWith(e.node() + ":") ? name : e.node() + ": " + name;
    }

    private static String on(Event e) {
        return e.node() == null ? "" : " (" + e.node() + ")";
    }

    private static String took(Map<String, Object> f) {
        Duration d = millis(f.get(RunEvents.DURATION_MS));
        return d == null ? "" : " (" + Durations.format(d) + ")";
    }

    private double secondsSince(Instant t) {
        return Duration.between(origin, t).toMillis() / 1000.0;
    }

    private static Duration millis(Object o) {
        return o instanceof Number n ? Duration.ofMillis(n.longValue()) : null;
    }
}
