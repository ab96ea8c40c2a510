package io.vmcluster.scenario.run;

import io.vmcluster.events.EventSink;
import io.vmcluster.scenario.Scenario;
import java.time.Duration;

/** Boots the cluster a scenario names. The runner closes what it returns. */
@FunctionalInterface
public interface ClusterLauncher {
    /**
     * Boots the scenario's cluster (with the scenario's params on every node's kernel command line)
     * and returns when every node is ready.
     *
     * @param bootTimeout bound for the boot, already scaled
     */
    ClusterApi start(Scenario scenario, RunOptions options, EventSink events, Duration bootTimeout) throws Exception;
}
