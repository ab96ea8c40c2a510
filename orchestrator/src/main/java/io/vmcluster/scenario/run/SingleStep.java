package io.vmcluster.scenario.run;

import io.vmcluster.events.EventSink;
import io.vmcluster.scenario.step.Step;
import io.vmcluster.time.Deadline;
import io.vmcluster.time.Timing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs one step on a cluster outside any test, exactly as a test would run it (the same
 * selectors, bounds, events and failures): how {@code vmcluster fault} applies a verb to a
 * cluster that {@code vmcluster up} keeps.
 */
public final class SingleStep {
    private SingleStep() {}

    /**
     * Runs {@code step}; its events name the test {@code context}.
     *
     * @param bound the step's bound when it gives no {@code timeout:} of its own (nominal, scaled here)
     * @throws StepFailedException with the evidence when the step fails
     */
    public static void run(
            ClusterApi cluster,
            Step step,
            String context,
            EventSink events,
            Timing timing,
            Duration bound,
            Path resultsDir) {
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "vmc-single-step");
            t.setDaemon(true);
            return t;
        });
        try {
            Variables vars = new Variables(Map.of("nodes", String.join(" ", cluster.nodes()), "scenario", context));
            StepRunner runner = new StepRunner(cluster, vars, events, timing, bound, pool, resultsDir);
            // the step's own timeout: (or the bound) limits it; the deadline only backs that up
            runner.run(step, context, Deadline.after(timing.scale(Duration.ofHours(1))));
        } finally {
            pool.shutdownNow();
        }
    }
}
