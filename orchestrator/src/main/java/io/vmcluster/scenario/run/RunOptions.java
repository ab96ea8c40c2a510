package io.vmcluster.scenario.run;

import io.vmcluster.time.Timing;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How to run a scenario.
 *
 * @param runDir the results directory of this run (node logs, argv, pcap files go there)
 * @param accel {@code auto}, {@code kvm} or {@code tcg}
 * @param launcher boots the cluster ({@link RealCluster#LAUNCHER} for real VMs)
 * @param timing scales every timeout of the scenario
 */
public record RunOptions(Path runDir, String accel, ClusterLauncher launcher, Timing timing) {
    public RunOptions {
        Objects.requireNonNull(runDir, "runDir");
        Objects.requireNonNull(launcher, "launcher");
        accel = accel == null ? "auto" : accel;
        timing = timing == null ? Timing.standard() : timing;
    }

    /** Real VMs, {@code auto} acceleration, the standard timing. */
    public static RunOptions real(Path runDir) {
        return new RunOptions(runDir, "auto", RealCluster.LAUNCHER, Timing.standard());
    }

    public RunOptions withAccel(String accel) {
        return new RunOptions(runDir, accel, launcher, timing);
    }

    public RunOptions withLauncher(ClusterLauncher launcher) {
        return new RunOptions(runDir, accel, launcher, timing);
    }

    public RunOptions withTiming(Timing timing) {
        return new RunOptions(runDir, accel, launcher, timing);
    }
}
