package io.vmcluster.scenario;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed and validated scenario: what cluster to boot, with which params, and the tests to run
 * on it. Built only by {@link ScenarioParser}; every node name, variable, duration and fault
 * parameter in it has been checked.
 *
 * @param name the scenario's name (its {@code name:}, else the file name without extension)
 * @param description free text, may be empty
 * @param file the scenario file
 * @param cluster the cluster to boot
 * @param params every param with its effective value (file defaults, then overrides); each
 *     reaches every node's kernel command line as {@code vmc.KEY=VALUE} and every step as
 *     {@code ${KEY}}
 * @param timeouts step, test and run bounds
 * @param stopOnFailure skip the remaining tests after the first failed one
 * @param tests the tests, in order
 */
public record Scenario(
        String name,
        String description,
        Path file,
        ClusterSource cluster,
        Map<String, String> params,
        Timeouts timeouts,
        boolean stopOnFailure,
        List<TestCase> tests) {
    public Scenario {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(timeouts, "timeouts");
        description = description == null ? "" : description;
        params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
        tests = List.copyOf(tests);
    }

    /**
     * The snapshot step with {@code cache: true}, if any (at most one, directly in a test's
     * steps): a warm run starts from its cut (docs/snapshots.md, "Warm start across runs").
     */
    public java.util.Optional<io.vmcluster.scenario.step.SnapshotStep> cachedSnapshot() {
        return tests.stream()
                .flatMap(t -> t.steps().stream())
                .filter(s -> s instanceof io.vmcluster.scenario.step.SnapshotStep ss && ss.cache())
                .map(s -> (io.vmcluster.scenario.step.SnapshotStep) s)
                .findFirst();
    }

    /**
     * How many times its {@code nemesis} steps run, every test counted: a nemesis inside a
     * {@code repeat} counts as many times as it repeats.
     */
    public int nemesisRuns() {
        return tests.stream().mapToInt(t -> nemesisRuns(t.steps())).sum();
    }

    /** Every {@code upgrade} step, in file order (inside repeat and parallel too): their images are checked and built before the run. */
    public List<io.vmcluster.scenario.step.UpgradeStep> upgrades() {
        List<io.vmcluster.scenario.step.UpgradeStep> out = new java.util.ArrayList<>();
        tests.forEach(t -> upgrades(t.steps(), out));
        return out;
    }

    private static void upgrades(
            List<io.vmcluster.scenario.step.Step> steps, List<io.vmcluster.scenario.step.UpgradeStep> out) {
        for (io.vmcluster.scenario.step.Step s : steps) {
            if (s instanceof io.vmcluster.scenario.step.UpgradeStep u) {
                out.add(u);
            } else if (s instanceof io.vmcluster.scenario.step.RepeatStep r) {
                upgrades(r.steps(), out);
            } else if (s instanceof io.vmcluster.scenario.step.ParallelStep p) {
                p.branches().forEach(b -> upgrades(b, out));
            }
        }
    }

    private static int nemesisRuns(List<io.vmcluster.scenario.step.Step> steps) {
        int n = 0;
        for (io.vmcluster.scenario.step.Step s : steps) {
            if (s instanceof io.vmcluster.scenario.step.NemesisStep) {
                n++;
            } else if (s instanceof io.vmcluster.scenario.step.RepeatStep r) {
                n += r.times() * nemesisRuns(r.steps());
            } else if (s instanceof io.vmcluster.scenario.step.ParallelStep p) {
                for (List<io.vmcluster.scenario.step.Step> b : p.branches()) n += nemesisRuns(b);
            }
        }
        return n;
    }
}
