package io.vmcluster.report;

import io.vmcluster.events.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Listens to a run's events and assembles the {@link RunReport}. A subtest that started but never
 * ended (the run was cut short) is reported failed; a failed subtest without its own output gets
 * the output of its last failed step.
 */
public final class RunRecorder implements Consumer<Event> {
    private final String fallbackScenario;
    private String scenario;
    private Instant started;
    private Instant lastSeen;
    private Duration runDuration;
    private final Map<String, Open> open = new LinkedHashMap<>();
    private final Map<String, SubtestReport> done = new LinkedHashMap<>();
    private final List<RunReport.Summary> summaries = new ArrayList<>();

    /** @param fallbackScenario the suite name to use if no {@code run.start} event names one */
    public RunRecorder(String fallbackScenario) {
        this.fallbackScenario = fallbackScenario;
    }

    @Override
    public synchronized void accept(Event e) {
        if (started == null) {
            started = e.time();
        }
        lastSeen = e.time();
        Map<String, Object> f = e.fields();
        switch (e.kind()) {
            case RunEvents.RUN_START -> {
                started = e.time();
                scenario = text(f.get(RunEvents.SCENARIO));
            }
            case RunEvents.RUN_END -> runDuration = millis(f.get(RunEvents.DURATION_MS));
            case RunEvents.SUBTEST_START -> {
                String name = text(f.get(RunEvents.SUBTEST));
                if (name != null) {
                    done.remove(name);
                    open.put(name, new Open(e.time()));
                }
            }
            case RunEvents.STEP_END -> {
                Open o = open.get(text(f.get(RunEvents.SUBTEST)));
                if (o != null && Outcome.parse(f.get(RunEvents.OUTCOME)) == Outcome.FAILED) {
                    o.lastFailedOutput = stepOutput(f);
                }
            }
            case RunEvents.SUBTEST_END -> endSubtest(e, f);
            case RunEvents.SUMMARY ->
                summaries.add(new RunReport.Summary(e.node(), orEmpty(f.get("title")), orEmpty(f.get("text"))));
            default -> {}
        }
    }

    private void endSubtest(Event e, Map<String, Object> f) {
        String name = text(f.get(RunEvents.SUBTEST));
        if (name == null) {
            return;
        }
        Open o = open.remove(name);
        Outcome outcome = Outcome.parse(f.get(RunEvents.OUTCOME));
        Duration d = millis(f.get(RunEvents.DURATION_MS));
        if (d == null) {
            d = o == null ? Duration.ZERO : Duration.between(o.start, e.time());
        }
        String output = orEmpty(f.get(RunEvents.OUTPUT));
        if (output.isEmpty() && outcome == Outcome.FAILED && o != null && o.lastFailedOutput != null) {
            output = o.lastFailedOutput;
        }
        done.put(name, new SubtestReport(name, outcome, d, orEmpty(f.get(RunEvents.MESSAGE)), output));
    }

    /** The report as of now; subtests still open are reported as failed (not finished). */
    public synchronized RunReport report() {
        Instant start = started == null ? Instant.now() : started;
        List<SubtestReport> all = new ArrayList<>(done.values());
        for (Map.Entry<String, Open> o : open.entrySet()) {
            Instant end = lastSeen == null ? start : lastSeen;
            all.add(new SubtestReport(
                    o.getKey(),
                    Outcome.FAILED,
                    Duration.between(o.getValue().start, end),
                    "the run ended before this subtest finished",
                    o.getValue().lastFailedOutput));
        }
        Duration total = runDuration != null
                ? runDuration
                : (lastSeen == null ? Duration.ZERO : Duration.between(start, lastSeen));
        return new RunReport(scenario != null ? scenario : fallbackScenario, start, total, all, summaries);
    }

    /** The stdout and stderr of a step event, labelled, for a failure's output. */
    static String stepOutput(Map<String, Object> f) {
        StringBuilder b = new StringBuilder();
        Object out = f.get("stdout");
        Object err = f.get("stderr");
        if (out != null && !out.toString().isEmpty()) {
            b.append("stdout:\n").append(out);
            if (!out.toString().endsWith("\n")) {
                b.append('\n');
            }
        }
        if (err != null && !err.toString().isEmpty()) {
            b.append("stderr:\n").append(err);
        }
        return b.toString();
    }

    private static String text(Object o) {
        return o == null ? null : o.toString();
    }

    private static String orEmpty(Object o) {
        return o == null ? "" : o.toString();
    }

    private static Duration millis(Object o) {
        if (o instanceof Number n) {
            return Duration.ofMillis(n.longValue());
        }
        if (o != null) {
            try {
                return Duration.ofMillis(Long.parseLong(o.toString().trim()));
            } catch (NumberFormatException ignored) {
                return null;
            }
        }
        return null;
    }

    private static final class Open {
        final Instant start;
        String lastFailedOutput;

        Open(Instant start) {
            this.start = start;
        }
    }
}
