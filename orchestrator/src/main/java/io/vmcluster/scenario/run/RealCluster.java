package io.vmcluster.scenario.run;

/**
 * Adapts the cluster runtime (io.vmcluster.cluster) and the fault API (io.vmcluster.fault) to
 * {@link ClusterApi}.
 */
public final class RealCluster {
    private RealCluster() {}

    /** Boots real VMs for a scenario. */
    public static final ClusterLauncher LAUNCHER = (scenario, options, events, bootTimeout) -> {
        throw new UnsupportedOperationException("the cluster runtime (branch model) is not merged yet");
    };
}
