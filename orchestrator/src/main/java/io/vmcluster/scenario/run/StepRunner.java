package io.vmcluster.scenario.run;

import io.vmcluster.command.CommandResult;
import io.vmcluster.events.EventKind;
import io.vmcluster.events.EventSink;
import io.vmcluster.fault.FaultSpec;
import io.vmcluster.scenario.step.BackupStep;
import io.vmcluster.scenario.step.CommandStep;
import io.vmcluster.scenario.step.CopyStep;
import io.vmcluster.scenario.step.FaultStep;
import io.vmcluster.scenario.step.FindNodeStep;
import io.vmcluster.scenario.step.HealStep;
import io.vmcluster.scenario.step.LifecycleStep;
import io.vmcluster.scenario.step.LogStep;
import io.vmcluster.scenario.step.NemesisStep;
import io.vmcluster.scenario.step.NodeSelector;
import io.vmcluster.scenario.step.ParallelStep;
import io.vmcluster.scenario.step.RepeatStep;
import io.vmcluster.scenario.step.ServiceStep;
import io.vmcluster.scenario.step.SleepStep;
import io.vmcluster.scenario.step.SnapshotStep;
import io.vmcluster.scenario.step.Step;
import io.vmcluster.scenario.step.UpgradeStep;
import io.vmcluster.scenario.step.WaitForStep;
import io.vmcluster.scenario.step.WaitUntilStep;
import io.vmcluster.scenario.step.WanStep;
import io.vmcluster.scenario.step.WorkloadEndStep;
import io.vmcluster.scenario.step.WorkloadStep;
import io.vmcluster.time.Deadline;
import io.vmcluster.time.Timing;
import io.vmcluster.time.Wait;
import io.vmcluster.time.WaitTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs steps against a {@link ClusterApi}. Each step's bound is its own {@code timeout:} (or the
 * scenario's step default), scaled by the timing multiplier, and never beyond the test's deadline.
 * A failing step throws {@link StepFailedException} with the evidence.
 */
final class StepRunner {
    private static final int OUTPUT_EVENT_LIMIT = 4096;

    private final ClusterApi cluster;
    private final Variables vars;
    private final EventSink events;
    private final Timing timing;
    private final Duration stepDefault;
    private final ExecutorService pool;
    private final Path resultsDir;
    private final WorkloadSteps workloads;
    private long runSeed;
    private NemesisOptions nemesisOptions = NemesisOptions.NONE;
    private int nemesisRuns;
    /** The find_node steps run so far, by the variable they capture: a nemesis's probes ask them again. */
    private final Map<String, FindNodeStep> probes = new java.util.concurrent.ConcurrentHashMap<>();

    /** @param resultsDir the run's results directory ({@code copy_out} writes under {@code <node>/}) */
    StepRunner(
            ClusterApi cluster,
            Variables vars,
            EventSink events,
            Timing timing,
            Duration stepDefault,
            ExecutorService pool,
            Path resultsDir) {
        this.resultsDir = resultsDir;
        this.cluster = cluster;
        this.vars = vars;
        this.events = events;
        this.timing = timing;
        this.stepDefault = stepDefault;
        this.pool = pool;
        this.workloads = new WorkloadSteps(cluster, vars, events, timing, resultsDir);
    }

    /**
     * What the nemesis steps draw from: the run's seed (given or chosen) and the options ({@code
     * --seed} overrides a step's own seed; a replay applies its schedule instead of drawing).
     */
    void nemesis(long runSeed, NemesisOptions options) {
        this.runSeed = runSeed;
        this.nemesisOptions = options;
    }

    /** What a later warm round needs to start where this run is now ({@link WarmRounds}). */
    WarmRounds.Resume state() {
        return new WarmRounds.Resume(vars.values(), probes, nemesisRuns);
    }

    /** Continues from a first round's state: its find_node probes and nemesis count (the variables are the caller's). */
    void resume(WarmRounds.Resume state) {
        probes.putAll(state.probes());
        nemesisRuns = state.nemesisRuns();
    }

    /** Stops the workloads a test left running (it failed before their workload_end). */
    void abandonWorkloads(String test) {
        workloads.abandonAll("test '" + test + "' ended before its workload_end");
    }

    /** Runs {@code steps} in order; stops at the first failure. */
    void runAll(List<Step> steps, String test, Deadline testDeadline) {
        for (Step s : steps) {
            run(s, test, testDeadline);
        }
    }

    void run(Step step, String test, Deadline testDeadline) {
        long start = System.nanoTime();
        events.record(EventKind.STEP_START, null, stepFields(step, test));
        try {
            if (testDeadline.expired()) {
                throw fail(
                        step,
                        null,
                        null,
                        null,
                        "the test's time ran out (" + testDeadline.total().toSeconds() + " s) before this step");
            }
            execute(step, test, testDeadline);
            recordStepEnd(step, test, start, null, true, null);
        } catch (RuntimeException e) {
            StepFailedException f = e instanceof StepFailedException sfe ? sfe : fail(step, reason(e));
            recordStepEnd(
                    step, test, start, f.failure().node(), false, f.failure().reason());
            throw f;
        }
    }

    /**
     * The fields every step event carries: the test, the step (with the variables known by now
     * substituted) and where it stands in the file.
     */
    private Map<String, Object> stepFields(Step step, String test) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("test", test);
        fields.put("step", vars.display(step.title()));
        if (!step.title().equals(step.describe())) {
            fields.put("text", vars.display(step.describe())); // the full text stays in the events
        }
        if (step.label() != null) {
            fields.put("label", vars.display(step.label()));
        }
        fields.put("at", step.location().toString());
        return fields;
    }

    /** {@code step.end}, with the node and reason of a failure. */
    private void recordStepEnd(Step step, String test, long startNanos, String node, boolean ok, String error) {
        Map<String, Object> fields = stepFields(step, test);
        fields.put("ok", ok);
        fields.put("ms", (System.nanoTime() - startNanos) / 1_000_000);
        if (!ok) {
            fields.put("error", error);
        }
        events.record(EventKind.STEP_END, node, fields);
    }

    private void execute(Step step, String test, Deadline testDeadline) {
        if (step instanceof CommandStep c) {
            command(c, test, testDeadline);
        } else if (step instanceof WaitUntilStep w) {
            waitUntil(w, test, testDeadline);
        } else if (step instanceof WaitForStep w) {
            waitFor(w, testDeadline);
        } else if (step instanceof FindNodeStep f) {
            findNode(f, testDeadline);
            probes.put(f.capture(), f);
        } else if (step instanceof ServiceStep s) {
            service(s, testDeadline);
        } else if (step instanceof LifecycleStep l) {
            lifecycle(l, testDeadline);
        } else if (step instanceof FaultStep f) {
            Duration t = bound(f.timeout(), testDeadline);
            call(f, () -> cluster.applyFault(resolve(f.fault()), t), null);
        } else if (step instanceof HealStep h) {
            call(h, cluster::healAll, null);
        } else if (step instanceof RepeatStep r) {
            for (int i = 1; i <= r.times(); i++) {
                vars.set(r.counter(), Integer.toString(i));
                runAll(r.steps(), test, testDeadline);
            }
        } else if (step instanceof ParallelStep p) {
            parallel(p, test, testDeadline);
        } else if (step instanceof SleepStep s) {
            sleep(s, testDeadline);
        } else if (step instanceof CopyStep c) {
            copy(c);
        } else if (step instanceof WorkloadStep w) {
            call(w, () -> workloads.start(w, test), null);
        } else if (step instanceof WorkloadEndStep w) {
            Deadline d = w.timeout() == null ? testDeadline : Deadline.after(bound(w.timeout(), testDeadline));
            String bad;
            try {
                bad = workloads.end(w, d);
            } catch (RuntimeException e) {
                throw fail(w, reason(e));
            }
            if (bad != null) throw fail(w, bad);
        } else if (step instanceof SnapshotStep s) {
            call(
                    s,
                    () -> {
                        if (s.kind() == SnapshotStep.Kind.SNAPSHOT) {
                            cluster.snapshot(s.name());
                        } else {
                            cluster.restore(s.name());
                        }
                    },
                    null);
        } else if (step instanceof UpgradeStep u) {
            Duration t = bound(u.timeout(), testDeadline);
            List<String> node = nodes(u, u.node());
            call(u, () -> cluster.upgrade(node.get(0), u.image(), t), node.get(0));
        } else if (step instanceof BackupStep b) {
            List<String> on = b.on() == null
                    ? (b.kind() == BackupStep.Kind.BACKUP ? cluster.nodes() : List.of())
                    : nodes(b, b.on());
            call(
                    b,
                    () -> {
                        if (b.kind() == BackupStep.Kind.BACKUP) {
                            cluster.backup(b.name(), on);
                        } else {
                            cluster.restoreBackup(b.name(), on);
                        }
                    },
                    null);
        } else if (step instanceof WanStep w) {
            call(w, () -> cluster.wan(w.a(), w.b(), w.impairment()), null);
        } else if (step instanceof NemesisStep n) {
            nemesis(n, test, testDeadline);
        } else if (step instanceof LogStep l) {
            events.record(EventKind.LOG, null, Map.of("test", test, "message", vars.substitute(l.message(), null)));
        } else {
            throw new AssertionError(step);
        }
    }

    /**
     * Draws the schedule from the step's seed (else a fresh one, recorded), writes it to
     * {@code schedule.json} and applies it through the fault API for its length and recovery.
     */
    private void nemesis(NemesisStep n, String test, Deadline testDeadline) {
        int k = nemesisRuns++;
        io.vmcluster.nemesis.Schedule schedule;
        String origin;
        if (nemesisOptions.replay() != null) {
            schedule = nemesisOptions.replay();
            if (!schedule.nodes().equals(cluster.nodes())) {
                throw fail(
                        n,
                        null,
                        null,
                        null,
                        "the replayed schedule was drawn for nodes " + schedule.nodes() + ", this cluster has "
                                + cluster.nodes());
            }
            origin = "replaying seed " + schedule.seed();
        } else {
            long seed = nemesisOptions.seed() != null
                    ? NemesisOptions.derive(nemesisOptions.seed(), k)
                    : n.seed() != null ? n.seed() : NemesisOptions.derive(runSeed, k);
            try {
                schedule = io.vmcluster.nemesis.Nemesis.generate(seed, n.spec(), cluster.nodes());
            } catch (IllegalArgumentException e) {
                throw fail(n, null, null, null, e.getMessage());
            }
            origin = "nemesis seed " + seed;
        }
        Duration needed = schedule.length().plus(schedule.recovery());
        if (needed.compareTo(testDeadline.remaining()) > 0) {
            throw fail(
                    n,
                    null,
                    null,
                    null,
                    "the nemesis needs " + io.vmcluster.time.Durations.format(needed)
                            + " (length and recovery), more than the test has left");
        }
        // the first nemesis of the run writes schedule.json, a later one schedule-2.json, ...
        String file = k == 0 ? io.vmcluster.nemesis.ScheduleJson.FILE : "schedule-" + (k + 1) + ".json";
        events.record(
                EventKind.LOG,
                null,
                Map.of(
                        "test",
                        test,
                        "message",
                        origin + ": " + schedule.faults().size() + " fault(s), written to " + file));
        io.vmcluster.nemesis.ScheduleRunner.Target target = new io.vmcluster.nemesis.ScheduleRunner.Target() {
            @Override
            public List<io.vmcluster.fault.Fault> apply(FaultSpec<List<String>> fault) {
                try {
                    return cluster.startFault(fault);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(reason(e), e);
                }
            }

            @Override
            public String probe(String name) {
                FindNodeStep f = probes.get(name);
                if (f == null) {
                    throw new IllegalArgumentException(
                            "the nemesis names 'probe " + name + "', but no find_node step" + " capturing '" + name
                                    + "' ran before it (add one: find_node: ..., capture: " + name + ")");
                }
                findNode(f, testDeadline); // asked again now: the leader of this moment
                return vars.get(name);
            }
        };
        call(
                n,
                () -> {
                    io.vmcluster.nemesis.ScheduleJson.write(schedule, resultsDir.resolve(file));
                    new io.vmcluster.nemesis.ScheduleRunner(
                                    target, events, io.vmcluster.nemesis.ScheduleRunner.Pacer.realTime())
                            .run(schedule, file);
                },
                null);
    }

    private void command(CommandStep c, String test, Deadline testDeadline) {
        Duration t = bound(c.timeout(), testDeadline);
        List<String> nodes = nodes(c, c.on());
        Map<String, CommandResult> results = onEach(c, nodes, node -> {
            String cmd = vars.substitute(c.command(), node);
            CommandResult r = exec(c, node, cmd, t);
            if (c.kind() == CommandStep.Kind.SHOW) {
                show(c, test, node, cmd, r);
            }
            String bad = Checker.failure(c.expect(), r, s -> vars.substitute(s, node));
            if (bad != null) {
                throw fail(c, node, cmd, r, bad);
            }
            if (c.showOutput() && c.kind() != CommandStep.Kind.SHOW) {
                show(c, test, node, cmd, r);
            }
            return r;
        });
        if (c.capture() != null) {
            vars.set(
                    c.capture(), results.values().iterator().next().stdoutText().strip());
        }
    }

    /**
     * A {@code show} event: stdout, stderr and the exit code of a command whose output the user
     * asked to see ({@code show}, or {@code show_output: true} on a passing step), under the step's
     * label when it has one.
     */
    private void show(Step step, String test, String node, String cmd, CommandResult r) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("test", test);
        fields.put("command", cmd);
        if (step.label() != null) {
            fields.put("label", vars.substitute(step.label(), node));
        }
        fields.put("stdout", cap(r.stdoutText()));
        fields.put("stderr", cap(r.stderrText()));
        fields.put("exit", r.exitCode());
        events.record(EventKind.SHOW, node, fields);
    }

    private void copy(CopyStep c) {
        onEach(c, nodes(c, c.on()), node -> {
            String guest = vars.substitute(c.guest(), node);
            call(
                    c,
                    () -> {
                        if (c.direction() == CopyStep.Direction.IN) {
                            cluster.copyIn(node, c.host(), guest);
                        } else {
                            String name = vars.substitute(c.host().toString(), node);
                            if (name.contains("/") || name.equals("..")) {
                                throw fail(c, node, "copy_out: '" + name + "' is not a plain file name");
                            }
                            Path local = resultsDir.resolve(node).resolve(name);
                            Files.createDirectories(local.getParent());
                            cluster.copyOut(node, guest, local);
                        }
                    },
                    node);
            return Boolean.TRUE;
        });
    }

    private void waitUntil(WaitUntilStep w, String test, Deadline testDeadline) {
        Deadline d = Deadline.after(bound(w.timeout(), testDeadline));
        Map<String, CommandResult> results = onEach(w, nodes(w, w.on()), node -> {
            String cmd = vars.substitute(w.command(), node);
            AtomicReference<CommandResult> last = new AtomicReference<>();
            try {
                return Wait.forCondition("`" + cmd + "` on " + node + " to give " + w.expect())
                        .every(Duration.ofMillis(200), w.interval())
                        .until(d, () -> {
                            CommandResult r;
                            try {
                                r = exec(w, node, cmd, d.cap(timing.scale(Duration.ofSeconds(30))));
                            } catch (StepFailedException e) {
                                throw Wait.notYet("the command did not complete: "
                                        + e.failure().reason());
                            }
                            last.set(r);
                            String bad = Checker.failure(w.expect(), r, s -> vars.substitute(s, node));
                            if (bad != null) throw Wait.notYet(bad);
                            return r;
                        });
            } catch (WaitTimeoutException e) {
                throw fail(w, node, cmd, last.get(), e.getMessage());
            }
        });
        if (w.showOutput()) {
            results.forEach((node, r) -> show(w, test, node, vars.substitute(w.command(), node), r));
        }
        if (w.capture() != null) {
            vars.set(
                    w.capture(), results.values().iterator().next().stdoutText().strip());
        }
    }

    private void waitFor(WaitForStep w, Deadline testDeadline) {
        Duration t = bound(w.timeout(), testDeadline);
        String target = vars.substitute(w.target(), null);
        onEach(w, nodes(w, w.on()), node -> {
            call(
                    w,
                    () -> {
                        if (w.kind() == WaitForStep.Kind.SERVICE) cluster.waitForService(node, target, t);
                        else cluster.waitForPort(node, Integer.parseInt(target.strip()), t);
                    },
                    node);
            return Boolean.TRUE;
        });
    }

    private void findNode(FindNodeStep f, Deadline testDeadline) {
        Deadline d = Deadline.after(bound(f.timeout(), testDeadline));
        List<String> candidates = nodes(f, f.on());
        AtomicReference<String> lastSeen = new AtomicReference<>("");
        try {
            String found = Wait.forCondition("exactly " + (f.unique() ? "one node" : "a node") + " among "
                            + String.join(", ", candidates) + " where `" + f.command() + "` gives " + f.where())
                    .every(Duration.ofMillis(200), Duration.ofSeconds(1))
                    .until(d, () -> {
                        Map<String, String> answers = new LinkedHashMap<>();
                        List<String> matches = new ArrayList<>();
                        List<Future<CommandResult>> futures = new ArrayList<>();
                        for (String node : candidates) {
                            String cmd = vars.substitute(f.command(), node);
                            futures.add(
                                    pool.submit(() -> exec(f, node, cmd, d.cap(timing.scale(Duration.ofSeconds(30))))));
                        }
                        for (int i = 0; i < candidates.size(); i++) {
                            String node = candidates.get(i);
                            try {
                                CommandResult r = futures.get(i).get();
                                String bad = Checker.failure(f.where(), r, s -> vars.substitute(s, node));
                                if (bad == null) matches.add(node);
                                answers.put(node, "exit " + r.exitCode() + " " + abbreviate(r.stdoutText()));
                            } catch (ExecutionException e) {
                                answers.put(
                                        node,
                                        "error: "
                                                + (e.getCause() instanceof StepFailedException sfe
                                                        ? sfe.failure().reason()
                                                        : reason(e.getCause())));
                            }
                        }
                        lastSeen.set("matched " + matches + "; answers: " + answers);
                        if (matches.size() == 1 || (!f.unique() && !matches.isEmpty())) return matches.get(0);
                        throw Wait.notYet(lastSeen.get());
                    });
            vars.set(f.capture(), found);
            events.record(EventKind.FIND_NODE, found, Map.of("capture", f.capture()));
        } catch (WaitTimeoutException e) {
            throw fail(f, null, f.command(), null, e.getMessage());
        }
    }

    private void service(ServiceStep s, Deadline testDeadline) {
        Duration t = bound(s.timeout(), testDeadline);
        String name = vars.substitute(s.service(), null);
        onEach(s, nodes(s, s.on()), node -> {
            call(
                    s,
                    () -> {
                        switch (s.action()) {
                            case START_SERVICE -> cluster.controlService(node, name, ClusterApi.ServiceAction.START, t);
                            case STOP_SERVICE -> cluster.controlService(node, name, ClusterApi.ServiceAction.STOP, t);
                            case RESTART_SERVICE ->
                                cluster.controlService(node, name, ClusterApi.ServiceAction.RESTART, t);
                            case KILL_PROCESS -> cluster.killProcess(node, name, t);
                        }
                    },
                    node);
            return Boolean.TRUE;
        });
    }

    private void lifecycle(LifecycleStep l, Deadline testDeadline) {
        Duration t = bound(l.timeout(), testDeadline);
        onEach(l, nodes(l, l.nodes()), node -> {
            call(l, () -> cluster.lifecycle(node, l.action(), t), node);
            return Boolean.TRUE;
        });
    }

    private void parallel(ParallelStep p, String test, Deadline testDeadline) {
        List<Future<?>> futures = new ArrayList<>();
        for (List<Step> branch : p.branches()) {
            futures.add(pool.submit(() -> runAll(branch, test, testDeadline)));
        }
        List<StepFailedException> failures = new ArrayList<>();
        for (Future<?> f : futures) {
            try {
                f.get(testDeadline.remaining().toMillis() + 5_000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                failures.add(e.getCause() instanceof StepFailedException sfe ? sfe : fail(p, reason(e.getCause())));
            } catch (TimeoutException e) {
                f.cancel(true);
                failures.add(fail(p, "a branch did not finish within the test's deadline"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(x -> x.cancel(true));
                throw fail(p, "interrupted");
            }
        }
        if (!failures.isEmpty()) {
            StepFailure first = failures.get(0).failure();
            if (failures.size() == 1) throw failures.get(0);
            throw new StepFailedException(first.withReasonExtended(" (and " + (failures.size() - 1)
                    + " more failed branch(es) of the parallel group at " + p.location() + ")"));
        }
    }

    private void sleep(SleepStep s, Deadline testDeadline) {
        Duration d = timing.scale(s.duration());
        if (d.compareTo(testDeadline.remaining()) > 0) {
            throw fail(s, "sleeping " + d.toMillis() + " ms would outlive the test's deadline");
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail(s, "interrupted");
        }
    }

    // --- helpers

    private CommandResult exec(Step step, String node, String cmd, Duration t) {
        CommandResult r;
        long start = System.nanoTime();
        try {
            r = cluster.exec(node, cmd, t);
        } catch (Exception e) {
            events.record(EventKind.COMMAND, node, Map.of("command", cmd, "error", reason(e)));
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw fail(step, node, cmd, null, reason(e));
        }
        events.record(
                EventKind.COMMAND,
                node,
                Map.of(
                        "command",
                        cmd,
                        "exit",
                        r.exitCode(),
                        "stdout",
                        cap(r.stdoutText()),
                        "stderr",
                        cap(r.stderrText()),
                        "ms",
                        (System.nanoTime() - start) / 1_000_000));
        return r;
    }

    interface Action {
        void run() throws Exception;
    }

    private void call(Step step, Action a, String node) {
        try {
            a.run();
        } catch (StepFailedException e) {
            throw e;
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw fail(step, node, reason(e));
        }
    }

    interface PerNode<T> {
        T run(String node);
    }

    /** Runs {@code f} on every node at once; the first failure in node order is thrown. */
    private <T> Map<String, T> onEach(Step step, List<String> nodes, PerNode<T> f) {
        Map<String, T> out = new LinkedHashMap<>();
        if (nodes.size() == 1) {
            out.put(nodes.get(0), f.run(nodes.get(0)));
            return out;
        }
        Map<String, Future<T>> futures = new LinkedHashMap<>();
        for (String n : nodes) futures.put(n, pool.submit(() -> f.run(n)));
        StepFailedException first = null;
        int failed = 0;
        for (var e : futures.entrySet()) {
            try {
                out.put(e.getKey(), e.getValue().get());
            } catch (ExecutionException ex) {
                failed++;
                if (first == null) {
                    first = ex.getCause() instanceof StepFailedException sfe
                            ? sfe
                            : fail(step, e.getKey(), reason(ex.getCause()));
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                futures.values().forEach(x -> x.cancel(true));
                throw fail(step, e.getKey(), "interrupted");
            }
        }
        if (first != null) {
            if (failed == 1) throw first;
            StepFailure s = first.failure();
            throw new StepFailedException(
                    s.withReasonExtended(" (failed on " + failed + " of " + nodes.size() + " nodes)"));
        }
        return out;
    }

    private List<String> nodes(Step step, NodeSelector sel) {
        try {
            return sel.resolve(s -> vars.substitute(s, null), cluster.nodes());
        } catch (IllegalArgumentException e) {
            throw fail(step, e.getMessage());
        }
    }

    /** The fault with every node selector resolved to node names (the one resolution step). */
    FaultSpec<List<String>> resolve(FaultSpec<NodeSelector> f) {
        return f.map(sel -> sel.resolve(s -> vars.substitute(s, null), cluster.nodes()));
    }

    /** A step's bound: its own timeout or the default, scaled, never beyond the test deadline. */
    private Duration bound(Duration own, Deadline testDeadline) {
        return testDeadline.cap(timing.scale(own == null ? stepDefault : own));
    }

    static StepFailedException fail(Step step, String reason) {
        return fail(step, null, null, null, reason);
    }

    static StepFailedException fail(Step step, String node, String reason) {
        return fail(step, node, null, null, reason);
    }

    static StepFailedException fail(Step step, String node, String cmd, CommandResult r, String reason) {
        return new StepFailedException(new StepFailure(
                step.location(),
                step.title(),
                node,
                cmd,
                r == null ? null : r.exitCode(),
                r == null ? null : r.stdoutText(),
                r == null ? null : r.stderrText(),
                reason));
    }

    static String reason(Throwable e) {
        if (e == null) return "unknown error";
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static String cap(String s) {
        return s.length() <= OUTPUT_EVENT_LIMIT ? s : s.substring(0, OUTPUT_EVENT_LIMIT) + "…";
    }

    private static String abbreviate(String s) {
        String t = s.strip().replace('\n', ' ');
        return "'" + (t.length() > 120 ? t.substring(0, 120) + "…" : t) + "'";
    }
}
