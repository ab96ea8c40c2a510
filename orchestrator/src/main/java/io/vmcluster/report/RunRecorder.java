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
 * Listens to a run's events and assembles the {@link RunReport}:
 *
 * <ul>
 *   <li>one subtest per {@code test.start}/{@code test.end}; one that started and never ended (the
 *       run was cut short) is failed;
 *   <li>tests the run announced but never started are skipped;
 *   <li>a run-level failure (the cluster did not start, the run's time ran out) is a failed
 *       subtest named {@value #RUN_CASE}, so a run that booted nothing never reads as green;
 *   <li>{@code show} outputs become the summary.
 * </ul>
 */
public final class RunRecorder implements Consumer<Event> {
    /** The name of the synthetic test case for a run-level failure. */
    public static final String RUN_CASE = "(run)";

    private final String fallbackScenario;
    private String scenario;
    private Instant started;
    private Instant lastSeen;
    private Duration runDuration;
    private String runError;
    private final List<String> announced = new ArrayList<>();
    private final List<String> nodes = new ArrayList<>();
    private final Map<String, Instant> open = new LinkedHashMap<>();
    private final Map<String, SubtestReport> done = new LinkedHashMap<>();
    private final Map<String, List<StepReport>> steps = new LinkedHashMap<>();
    private final Map<String, List<Integer>> openSteps = new LinkedHashMap<>();
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
        switch (e.type()) {
            case RUN_START -> {
                started = e.time();
                scenario = text(f.get("scenario"));
                if (f.get("tests") instanceof List<?> tests) {
                    tests.forEach(t -> announced.add(String.valueOf(t)));
                }
                addNodes(f.get("nodes"));
            }
            case CLUSTER_START -> addNodes(f.get("nodes"));
            case CLUSTER_FAILED -> runError = text(f.get("error"));
            case RUN_END -> {
                runDuration = millis(f.get("ms"));
                if (f.get("error") != null) {
                    runError = text(f.get("error"));
                }
            }
            case TEST_START -> {
                String name = text(f.get("test"));
                if (name != null) {
                    done.remove(name);
                    open.put(name, e.time());
                    steps.put(name, new ArrayList<>());
                    openSteps.put(name, new ArrayList<>());
                }
            }
            case TEST_END -> endTest(e, f);
            case STEP_START -> startStep(e, f);
            case STEP_END -> endStep(e, f);
            case SHOW -> summaries.add(new RunReport.Summary(e.node(), showTitle(f), shown(f)));
            default -> {}
        }
    }

    /** The test and the step's label, else its command (its first line when it has several). */
    private static String showTitle(Map<String, Object> f) {
        String what = f.get("label") != null ? orEmpty(f.get("label")) : orEmpty(f.get("command"));
        int nl = what.indexOf('\n');
        return f.get("test") + ": " + (nl < 0 ? what : what.substring(0, nl).stripTrailing() + " …");
    }

    /** Stdout, then stderr and the exit code when there is anything to say about them. */
    private static String shown(Map<String, Object> f) {
        StringBuilder sb = new StringBuilder(orEmpty(f.get("stdout")).stripTrailing());
        String stderr = orEmpty(f.get("stderr")).strip();
        if (!stderr.isEmpty()) {
            sb.append(sb.length() == 0 ? "" : "\n").append("stderr: ").append(stderr);
        }
        Object exit = f.get("exit");
        if (exit != null && !"0".equals(String.valueOf(exit))) {
            sb.append(sb.length() == 0 ? "" : "\n")
                    .append("(exit ")
                    .append(exit)
                    .append(')');
        }
        return sb.toString();
    }

    private void addNodes(Object list) {
        if (list instanceof List<?> l) {
            l.forEach(n -> {
                if (!nodes.contains(String.valueOf(n))) nodes.add(String.valueOf(n));
            });
        }
    }

    private void startStep(Event e, Map<String, Object> f) {
        String test = text(f.get("test"));
        List<StepReport> list = steps.get(test);
        if (list == null) {
            return;
        }
        List<Integer> opened = openSteps.get(test);
        String at = text(f.get("at"));
        int depth = 0; // the open steps that enclose this one: written further left (parallel branches are siblings)
        for (int i : opened) {
            if (column(list.get(i).at()) < column(at)) depth++;
        }
        list.add(new StepReport(orEmpty(f.get("step")), at, null, e.time(), null, Outcome.FAILED, "", depth));
        opened.add(list.size() - 1);
    }

    /** Ends the newest open step written at the same place (parallel branches interleave). */
    private void endStep(Event e, Map<String, Object> f) {
        String test = text(f.get("test"));
        List<StepReport> list = steps.get(test);
        if (list == null) {
            return;
        }
        List<Integer> opened = openSteps.get(test);
        String at = orEmpty(f.get("at"));
        for (int i = opened.size() - 1; i >= 0; i--) {
            StepReport s = list.get(opened.get(i));
            if (s.at().equals(at)) {
                Duration d = millis(f.get("ms"));
                list.set(
                        opened.remove(i),
                        new StepReport(
                                orEmpty(f.get("step")).isEmpty() ? s.step() : orEmpty(f.get("step")),
                                s.at(),
                                e.node(),
                                s.started(),
                                d != null ? d : Duration.between(s.started(), e.time()),
                                Outcome.parse(f.get("ok")),
                                text(f.get("error")),
                                s.depth()));
                return;
            }
        }
    }

    private void endTest(Event e, Map<String, Object> f) {
        String name = text(f.get("test"));
        if (name == null) {
            return;
        }
        Instant start = open.remove(name);
        Duration d = millis(f.get("ms"));
        if (d == null) {
            d = start == null ? Duration.ZERO : Duration.between(start, e.time());
        }
        done.put(
                name,
                new SubtestReport(
                        name,
                        Outcome.parse(f.get("status")),
                        d,
                        orEmpty(f.get("message")),
                        "",
                        start,
                        steps.getOrDefault(name, List.of())));
    }

    /** The report as of now; tests still open are failed, announced ones never started are skipped. */
    public synchronized RunReport report() {
        Instant start = started == null ? Instant.now() : started;
        Instant end = lastSeen == null ? start : lastSeen;
        List<SubtestReport> all = new ArrayList<>();
        if (runError != null) {
            all.add(new SubtestReport(
                    RUN_CASE, Outcome.FAILED, Duration.between(start, end), runError, "", start, List.of()));
        }
        all.addAll(done.values());
        open.forEach((name, since) -> all.add(new SubtestReport(
                name,
                Outcome.FAILED,
                Duration.between(since, end),
                "the run ended before this test finished",
                "",
                since,
                steps.getOrDefault(name, List.of()))));
        for (String name : announced) {
            if (!done.containsKey(name) && !open.containsKey(name)) {
                all.add(new SubtestReport(
                        name,
                        Outcome.SKIPPED,
                        Duration.ZERO,
                        runError != null
                                ? "not run: " + runError.lines().findFirst().orElse("")
                                : "not run",
                        ""));
            }
        }
        Duration total = runDuration != null ? runDuration : Duration.between(start, end);
        return new RunReport(scenario != null ? scenario : fallbackScenario, start, total, all, summaries, nodes);
    }

    private static String text(Object o) {
        return o == null ? null : o.toString();
    }

    private static String orEmpty(Object o) {
        return o == null ? "" : o.toString();
    }

    /** The column of {@code file:line:col}; a place without one counts as right of every column. */
    private static int column(String at) {
        if (at != null) {
            int colon = at.lastIndexOf(':');
            try {
                return Integer.parseInt(at.substring(colon + 1));
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                // fall through
            }
        }
        return Integer.MAX_VALUE;
    }

    static Duration millis(Object o) {
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
}
