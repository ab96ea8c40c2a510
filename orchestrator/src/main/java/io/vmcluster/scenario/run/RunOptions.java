package io.vmcluster.scenario.run;

import io.vmcluster.qemu.Accelerator;
import io.vmcluster.time.Timing;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How to run a scenario.
 *
 * @param runDir the results directory of this run (node logs, argv, pcap files go there)
 * @param accel how guests run (AUTO: KVM when it works, else TCG)
 * @param launcher boots the cluster ({@link RealCluster#LAUNCHER} for real VMs)
 * @param timing scales every timeout of the scenario
 * @param capturePackets record every NIC's frames for the whole run (pcap files under
 *     {@code captures/} in the results directory)
 * @param nemesis the run's seed or a schedule to replay, for its {@code nemesis} steps
 * @param warm rounds that keep the cluster and restore its snapshot instead of booting, or null
 *     (the run boots its cluster and closes it)
 * @param cold boot even when the warm cache has the scenario's formed cluster ({@code run --cold};
 *     the cut of its cached snapshot is still written when the cache has none)
 */
public record RunOptions(
        Path runDir,
        Accelerator accel,
        ClusterLauncher launcher,
        Timing timing,
        boolean capturePackets,
        NemesisOptions nemesis,
        WarmRounds warm,
        boolean cold) {
    public RunOptions(
            Path runDir,
            Accelerator accel,
            ClusterLauncher launcher,
            Timing timing,
            boolean capturePackets,
            NemesisOptions nemesis,
            WarmRounds warm) {
        this(runDir, accel, launcher, timing, capturePackets, nemesis, warm, false);
    }

    public RunOptions(
            Path runDir,
            Accelerator accel,
            ClusterLauncher launcher,
            Timing timing,
            boolean capturePackets,
            NemesisOptions nemesis) {
        this(runDir, accel, launcher, timing, capturePackets, nemesis, null);
    }

    /** No seed given, no replay. */
    public RunOptions(Path runDir, Accelerator accel, ClusterLauncher launcher, Timing timing, boolean capturePackets) {
        this(runDir, accel, launcher, timing, capturePackets, NemesisOptions.NONE);
    }

    /** Without packet capture. */
    public RunOptions(Path runDir, Accelerator accel, ClusterLauncher launcher, Timing timing) {
        this(runDir, accel, launcher, timing, false);
    }

    public RunOptions {
        Objects.requireNonNull(runDir, "runDir");
        Objects.requireNonNull(launcher, "launcher");
        accel = accel == null ? Accelerator.AUTO : accel;
        Objects.requireNonNull(timing, "timing");
        nemesis = nemesis == null ? NemesisOptions.NONE : nemesis;
    }

    /** Real VMs, {@code auto} acceleration, bounds scaled by {@code timing}. */
    public static RunOptions real(Path runDir, Timing timing) {
        return new RunOptions(runDir, Accelerator.AUTO, RealCluster.LAUNCHER, timing);
    }

    public RunOptions withAccel(Accelerator accel) {
        return new RunOptions(runDir, accel, launcher, timing, capturePackets, nemesis, warm, cold);
    }

    public RunOptions withLauncher(ClusterLauncher launcher) {
        return new RunOptions(runDir, accel, launcher, timing, capturePackets, nemesis, warm, cold);
    }

    public RunOptions withPacketCapture(boolean capturePackets) {
        return new RunOptions(runDir, accel, launcher, timing, capturePackets, nemesis, warm, cold);
    }

    public RunOptions withNemesis(NemesisOptions nemesis) {
        return new RunOptions(runDir, accel, launcher, timing, capturePackets, nemesis, warm, cold);
    }

    public RunOptions withWarm(WarmRounds warm) {
        return new RunOptions(runDir, accel, launcher, timing, capturePackets, nemesis, warm, cold);
    }

    public RunOptions withRunDir(Path runDir) {
        return new RunOptions(runDir, accel, launcher, timing, capturePackets, nemesis, warm, cold);
    }

    public RunOptions withTiming(Timing timing) {
        return new RunOptions(runDir, accel, launcher, timing, capturePackets, nemesis, warm, cold);
    }

    /** Boots even when the warm cache has the formed cluster (see {@link #cold()}). */
    public RunOptions withCold(boolean cold) {
        return new RunOptions(runDir, accel, launcher, timing, capturePackets, nemesis, warm, cold);
    }
}
