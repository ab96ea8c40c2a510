package io.vmcluster.scenario.run;

import io.vmcluster.checker.CheckResults;
import io.vmcluster.checker.Checkers;
import io.vmcluster.checker.FaultWindows;
import io.vmcluster.checker.Validity;
import io.vmcluster.checker.Verdict;
import io.vmcluster.events.EventKind;
import io.vmcluster.events.EventSink;
import io.vmcluster.events.RememberingSink;
import io.vmcluster.history.HistoryWriter;
import io.vmcluster.scenario.Template;
import io.vmcluster.scenario.step.NodeSelector;
import io.vmcluster.scenario.step.WorkloadEndStep;
import io.vmcluster.scenario.step.WorkloadStep;
import io.vmcluster.time.Deadline;
import io.vmcluster.time.Timing;
import io.vmcluster.workload.NodePick;
import io.vmcluster.workload.OpSpec;
import io.vmcluster.workload.ProbeSpec;
import io.vmcluster.workload.Workload;
import io.vmcluster.workload.WorkloadSpec;
import io.vmcluster.workload.WorkloadSummary;
import io.vmcluster.workload.WorkloadTarget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code workload} and {@code workload_end} steps of a run: starts workloads in the background
 * with their history in the results directory, and at the end runs the final reads and the checkers,
 * writes {@code checks.json} beside the history, and turns the verdict into the step's. The first
 * workload of a run writes {@code history.jsonl} (and {@code checks.json}), later ones
 * {@code NAME.history.jsonl} ({@code NAME.checks.json}), {@code NAME-2...} when a name repeats.
 */
final class WorkloadSteps {
    private final ClusterApi cluster;
    private final Variables vars;
    private final EventSink events;
    private final Timing timing;
    private final Path resultsDir;
    private final Map<String, Running> running = new LinkedHashMap<>();
    private final Set<String> files = new HashSet<>();

    private record Running(WorkloadStep step, Workload workload, HistoryWriter history, String file, long startNanos) {}

    WorkloadSteps(ClusterApi cluster, Variables vars, EventSink events, Timing timing, Path resultsDir) {
        this.cluster = cluster;
        this.vars = vars;
        this.events = events;
        this.timing = timing;
        this.resultsDir = resultsDir;
    }

    /** Starts the workload and returns at once. */
    synchronized void start(WorkloadStep step, String test) {
        if (running.containsKey(step.name())) {
            throw new IllegalStateException("workload '" + step.name() + "' is already running");
        }
        WorkloadTarget target = cluster.workloadTarget();
        WorkloadSpec spec = bind(step, target.nodes());
        String file = fileName(step.name());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("workload", step.name());
        fields.put("history", file);
        fields.put("checkers", step.checkers());
        fields.put("test", test);
        fields.put("clients", spec.clients());
        if (spec.duration() != null) fields.put("durationMs", spec.duration().toMillis());
        if (spec.ops() != null) fields.put("ops", spec.ops());
        if (spec.rate() != null) fields.put("rate", spec.rate());
        fields.put("seed", spec.seed());
        fields.put("mix", spec.mix().stream().map(o -> o.f().name()).toList());
        HistoryWriter history = HistoryWriter.open(resultsDir.resolve(file), events, fields);
        try {
            Workload w = Workload.start(spec, target, history, timing, vars::get);
            running.put(step.name(), new Running(step, w, history, file, System.nanoTime()));
        } catch (RuntimeException e) {
            history.close();
            throw e;
        }
    }

    /**
     * Ends the workload: waits for its clients, final reads, closes the history, runs the checkers.
     *
     * @return null when every verdict is valid, else why the step fails
     */
    String end(WorkloadEndStep step, Deadline deadline) {
        Running r;
        synchronized (this) {
            r = running.remove(step.name());
        }
        if (r == null) {
            return "no workload '" + step.name() + "' is running (it was never started, or ended already)";
        }
        if (step.stop()) {
            r.workload().stop();
        }
        WorkloadSummary summary;
        try {
            summary = r.workload().finish(deadline);
        } finally {
            r.workload().close();
            r.history().close();
        }
        CheckResults results = CheckResults.run(
                r.file(),
                r.history().history(),
                faultWindows(r.file()),
                Checkers.parseAll(r.step().checkers()));
        String checks = CheckResults.fileBeside(Path.of(r.file())).toString();
        results.write(resultsDir.resolve(checks));
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("workload", step.name());
        fields.put("history", r.file());
        fields.put("checks", checks);
        fields.put("ops", summary.invoked());
        fields.put("ok", summary.ok());
        fields.put("fail", summary.fail());
        fields.put("info", summary.info());
        fields.put("opsPerSecond", Math.round(summary.opsPerSecond() * 10) / 10.0);
        if (summary.quiesced() != null) fields.put("quiesced", summary.quiesced());
        fields.put("valid", results.validity().wireName());
        fields.put("summary", summary.describe());
        fields.put("ms", (System.nanoTime() - r.startNanos()) / 1_000_000);
        events.record(EventKind.WORKLOAD_END, null, fields);
        List<String> why = new ArrayList<>();
        if (!summary.errors().isEmpty()) {
            why.add("the workload driver failed: " + String.join("; ", summary.errors()));
        }
        for (Verdict v : results.verdicts()) {
            if (v.validity() != Validity.VALID)
                why.add(v.checker() + " " + v.validity().wireName() + ": " + v.explanation());
        }
        if (results.verdicts().isEmpty() && summary.invoked() == 0 && summary.probeSamples() == 0) {
            why.add("the workload ran no operation");
        }
        return why.isEmpty() ? null : String.join("; ", why) + " (" + summary.describe() + "; see " + checks + ")";
    }

    /** Stops every workload still running (a test that failed before its workload_end); no verdict. */
    synchronized void abandonAll(String why) {
        for (Running r : running.values()) {
            try {
                r.workload().close();
            } finally {
                r.history().close();
            }
            events.record(
                    EventKind.WORKLOAD_END,
                    null,
                    Map.of("workload", r.step().name(), "history", r.file(), "abandoned", why));
        }
        running.clear();
    }

    private FaultWindows faultWindows(String file) {
        if (events instanceof RememberingSink s) {
            return FaultWindows.fromEvents(s.kept(), file, "the run's events");
        }
        return FaultWindows.none();
    }

    private synchronized String fileName(String name) {
        String file = files.isEmpty() ? "history.jsonl" : name + ".history.jsonl";
        for (int i = 2; files.contains(file); i++) file = name + "-" + i + ".history.jsonl";
        files.add(file);
        return file;
    }

    /** The spec with each operation's node pick and each probe's nodes taken from the step. */
    private WorkloadSpec bind(WorkloadStep step, List<String> nodes) {
        WorkloadSpec s = step.spec();
        List<OpSpec> mix = new ArrayList<>();
        for (int i = 0; i < s.mix().size(); i++) {
            mix.add(s.mix().get(i).on(pick(step.targets().get(i), nodes)));
        }
        List<ProbeSpec> probes = new ArrayList<>();
        for (int i = 0; i < s.probes().size(); i++) {
            ProbeSpec p = s.probes().get(i);
            List<String> on = step.probeNodes().get(i).resolve(t -> vars.substitute(t, null), nodes);
            probes.add(new ProbeSpec(p.f(), p.command(), p.every(), p.parse(), on));
        }
        return new WorkloadSpec(
                s.name(),
                s.clients(),
                s.duration(),
                s.ops(),
                s.rate(),
                mix,
                s.keys(),
                s.seed(),
                s.opTimeout(),
                s.finalReads(),
                probes);
    }

    private NodePick pick(WorkloadStep.Target t, List<String> nodes) {
        NodeSelector on = t.on();
        boolean variable = on.names().stream().anyMatch(Template::hasReferences)
                || on.except().stream().anyMatch(Template::hasReferences);
        if (variable) {
            return NodePick.dynamic("on: " + on, () -> on.resolve(x -> vars.substitute(x, null), nodes), t.random());
        }
        List<String> fixed = on.resolve(x -> x, nodes);
        if (fixed.size() == 1) return NodePick.fixed(fixed.get(0));
        return t.random() ? NodePick.random(fixed) : NodePick.roundRobin(fixed);
    }
}
