package io.vmcluster.scenario.parse;

import io.vmcluster.scenario.Template;
import io.vmcluster.yaml.Location;
import io.vmcluster.yaml.Problems;
import io.vmcluster.yaml.Suggest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The variables known at a point of a scenario, for the static check that every {@code ${name}}
 * refers to a param, a built-in, or a variable captured by an earlier step.
 */
public final class Scope {
    /** Variables every step sees: the node a command runs on, and all node names. */
    public static final Map<String, String> BUILT_INS = Map.of(
            "node", "the node the command runs on",
            "nodes", "every node name, space separated",
            "scenario", "the scenario's name");

    private final Map<String, String> defined;
    private final Problems problems;
    /** Workloads started in the current test and not ended yet, shared by every nested scope. */
    private final Map<String, Location> workloads;
    /** Snapshots taken before this point (in this test or an earlier one), with where each was first taken. */
    private final Map<String, Location> snapshots;
    /** Backups taken before this point, with where each was first taken. */
    private final Map<String, Location> backups;
    /**
     * Probes a nemesis may name ({@code probe NAME}): the variables find_node steps before this
     * point capture (in this test or an earlier one), with the last such step.
     */
    private final Map<String, Location> probes;

    private Scope(
            Map<String, String> defined,
            Problems problems,
            Map<String, Location> workloads,
            Map<String, Location> snapshots,
            Map<String, Location> backups,
            Map<String, Location> probes) {
        this.defined = defined;
        this.problems = problems;
        this.workloads = workloads;
        this.snapshots = snapshots;
        this.backups = backups;
        this.probes = probes;
    }

    public static Scope of(Iterable<String> params, Problems problems) {
        Map<String, String> d = new LinkedHashMap<>(BUILT_INS);
        for (String p : params) d.put(p, "param");
        return new Scope(
                d,
                problems,
                new LinkedHashMap<>(),
                new LinkedHashMap<>(),
                new LinkedHashMap<>(),
                new LinkedHashMap<>());
    }

    /** A copy for a nested block (repeat body, a parallel branch). */
    public Scope child() {
        return new Scope(
                new LinkedHashMap<>(defined),
                problems,
                workloads,
                new LinkedHashMap<>(snapshots),
                new LinkedHashMap<>(backups),
                new LinkedHashMap<>(probes));
    }

    /** A find_node step capturing {@code name} is here: a nemesis after it may target {@code probe name}. */
    void defineProbe(String name, Location at) {
        probes.put(name, at);
    }

    /**
     * A nemesis's {@code probe NAME}: at run time it runs again the last find_node step before it
     * that captures NAME, so one must come before this point (earlier in this test, or in an
     * earlier test; a sibling parallel branch does not count).
     */
    void useProbe(String name, Location at) {
        if (probes.containsKey(name)) return;
        String why = defined.containsKey(name) && !BUILT_INS.containsKey(name)
                ? " ('" + name + "' is a " + (defined.get(name).equals("param") ? "param" : defined.get(name))
                        + ", not a find_node capture: a probe asks its find_node step again when the fault starts)"
                : "";
        problems.add(
                at,
                "unknown probe '" + name + "': no find_node step before this nemesis captures it"
                        + Suggest.didYouMean(name, probes.keySet()) + why
                        + (probes.isEmpty()
                                ? " (no find_node step comes before it; add one, e.g. '- find_node: {run: CMD, where:"
                                        + " {stdout_contains: leader}, capture: " + name + "}')"
                                : " (probes here: " + describeProbes() + ")"));
    }

    private String describeProbes() {
        return String.join(
                ", ",
                probes.entrySet().stream()
                        .map(e -> e.getKey() + " (find_node at " + e.getValue() + ")")
                        .toList());
    }

    /** A {@code snapshot: NAME} step takes {@code name} here: steps after it may restore it. */
    void takeSnapshot(String name, Location at) {
        snapshots.putIfAbsent(name, at);
    }

    /**
     * A {@code restore: NAME} step or a test's {@code fresh: NAME}: it must name a snapshot that a
     * step before it takes (earlier in this test, or in an earlier test); a sibling parallel
     * branch does not count, its order against this one is not known.
     */
    void restoreSnapshot(String name, Location at, String what) {
        if (snapshots.containsKey(name)) return;
        problems.add(
                at,
                what + ": no snapshot '" + name + "' is taken before this point"
                        + Suggest.didYouMean(name, snapshots.keySet())
                        + (snapshots.isEmpty()
                                ? " (take one with a '- snapshot: " + name + "' step earlier in the scenario)"
                                : " (taken before here: " + String.join(", ", snapshots.keySet()) + ")"));
    }

    /** A {@code backup: NAME} step takes {@code name} here: steps after it may restore from it. */
    void takeBackup(String name, Location at) {
        backups.putIfAbsent(name, at);
    }

    /**
     * A {@code restore_backup: NAME} step: it must name a backup that a step before it takes
     * (earlier in this test, or in an earlier test), as {@link #restoreSnapshot} for snapshots.
     */
    void restoreBackup(String name, Location at) {
        if (backups.containsKey(name)) return;
        problems.add(
                at,
                "restore_backup: no backup '" + name + "' is taken before this point"
                        + Suggest.didYouMean(name, backups.keySet())
                        + (backups.isEmpty()
                                ? " (take one with a '- backup: " + name + "' step earlier in the scenario)"
                                : " (taken before here: " + String.join(", ", backups.keySet()) + ")"));
    }

    /** A workload step named {@code name} starts here; a second one of that name while it runs is a problem. */
    void startWorkload(String name, Location at) {
        Location running = workloads.putIfAbsent(name, at);
        if (running != null) {
            problems.add(
                    at,
                    "workload '" + name + "' is already running (started at " + running
                            + "); end it with '- workload_end: " + name + "' first or give this one another name");
        }
    }

    /** A workload_end step for {@code name}: it must name a workload started earlier in this test. */
    void endWorkload(String name, Location at) {
        if (workloads.remove(name) == null) {
            String hint = Suggest.didYouMean(name, workloads.keySet());
            problems.add(
                    at,
                    "workload_end: no workload '" + name + "' is running here" + hint
                            + (workloads.isEmpty()
                                    ? " (start one with a '- workload: NAME' step earlier in the same test)"
                                    : " (running: " + String.join(", ", workloads.keySet()) + ")"));
        }
    }

    /** At the end of a test: every workload started in it must have been ended. */
    void endTest(String test) {
        workloads.forEach((name, at) -> problems.add(
                at,
                "workload '" + name + "' is never ended in test '" + test + "': add '- workload_end: " + name
                        + "' after the faults (it runs the final reads and the checkers)"));
        workloads.clear();
    }

    /** Makes {@code name} known from here on; {@code where} says who sets it (for messages). */
    public void define(String name, String where) {
        defined.putIfAbsent(name, where);
    }

    /** Adds everything another scope learned (captures in parallel branches). */
    public void absorb(Scope other) {
        other.defined.forEach(defined::putIfAbsent);
        other.snapshots.forEach(snapshots::putIfAbsent);
        other.backups.forEach(backups::putIfAbsent);
        other.probes.forEach(probes::putIfAbsent);
    }

    /** Reports every {@code ${x}} in {@code text} that names no known variable. */
    public void check(String text, Location where) {
        if (text == null) return;
        String open = Template.unclosed(text);
        if (open != null) {
            problems.add(
                    where, "'" + open + "' is not closed: write ${name} with a closing '}' (or $${ for a literal ${)");
        }
        for (String ref : Template.references(text)) {
            if (!Template.NAME.matcher(ref).matches()) {
                problems.add(
                        where,
                        "'${" + ref + "}' is not a variable name (letters, digits, _ . -); "
                                + "write $${ for a literal ${");
            } else if (!defined.containsKey(ref)) {
                problems.add(
                        where,
                        "unknown variable ${" + ref + "}" + Suggest.didYouMean(ref, defined.keySet())
                                + " (known here: " + String.join(", ", defined.keySet())
                                + "; a variable must be a param or captured by an earlier step)");
            }
        }
    }
}
