package io.vmcluster.scenario.run;

import java.time.Duration;
import java.util.List;

/**
 * The outcome of a scenario run.
 *
 * @param scenario the scenario's name
 * @param tests one outcome per test, in order (tests not reached are SKIPPED)
 * @param duration the whole run, boot and teardown included
 * @param error a run-level failure (the cluster did not boot, the run timed out), or null
 * @param bootFailure what the cluster launcher threw when the cluster did not boot, or null: the
 *     CLI tells a host that cannot boot it (exit 3) from a vmcluster bug (exit 4) by it
 */
public record RunResult(
        String scenario, List<TestOutcome> tests, Duration duration, String error, Throwable bootFailure) {
    public RunResult {
        tests = List.copyOf(tests);
    }

    /** A run whose cluster booted (or whose failure is not kept). */
    public RunResult(String scenario, List<TestOutcome> tests, Duration duration, String error) {
        this(scenario, tests, duration, error, null);
    }

    /** True when there was no run-level error and no test failed. */
    public boolean passed() {
        return error == null && tests.stream().noneMatch(t -> t.status() == TestOutcome.Status.FAILED);
    }

    public long count(TestOutcome.Status status) {
        return tests.stream().filter(t -> t.status() == status).count();
    }

    /** The outcome of the test named {@code name}. */
    public TestOutcome test(String name) {
        return tests.stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no test named '" + name + "'"));
    }
}
