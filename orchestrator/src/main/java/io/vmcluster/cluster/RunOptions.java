package io.vmcluster.cluster;

import io.vmcluster.cluster.spec.ClusterSpec;
import io.vmcluster.events.EventSink;
import io.vmcluster.image.ImageStore;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.qemu.QemuBinary;
import io.vmcluster.time.Timing;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;

/**
 * How a cluster is run (as opposed to what it is: {@link ClusterSpec}). Durations are nominal
 * and scaled by {@link #timing()}.
 *
 * @param accelerator auto, kvm or tcg
 * @param resultsDir where logs go (kept after the run); empty: {@code results/<cluster>-<time>}
 *     under system property {@code vmc.results.dir} or the working directory
 * @param events the run's sink; empty: {@code events.jsonl} in the results directory
 * @param images where images are found
 * @param qemuBinary the QEMU executable (default: {@link QemuBinary#configured()}: {@code VMC_QEMU}, else
 *     {@code qemu-system-x86_64} on PATH)
 * @param timing the multiplier for every bound
 * @param bootTimeout bound for a node to print its readiness line
 * @param kvmSignOfLife bound for the cluster's KVM trial guest to print something of its own before
 *     auto falls back to TCG
 * @param shutdownTimeout bound for a graceful shutdown before QEMU is killed
 * @param capturePackets record every NIC's frames for the whole run, from each QEMU start on, into
 *     {@code <results>/captures/<node>-<nic>-boot<n>.pcap} (QEMU {@code filter-dump})
 * @param warmStart start from a cached formed cluster when there is one, and cache the cut of
 *     its snapshot when it boots (docs/snapshots.md, "Warm start across runs"); empty: always boot
 */
public record RunOptions(
        Accelerator accelerator,
        Optional<Path> resultsDir,
        Optional<EventSink> events,
        ImageStore images,
        Path qemuBinary,
        Timing timing,
        Duration bootTimeout,
        Duration kvmSignOfLife,
        Duration shutdownTimeout,
        boolean capturePackets,
        Optional<WarmStart> warmStart) {

    public RunOptions {
        Objects.requireNonNull(accelerator, "accelerator");
        Objects.requireNonNull(resultsDir, "resultsDir");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(qemuBinary, "qemuBinary");
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(warmStart, "warmStart");
    }

    /** auto accelerator, standard image store and timing, 180 s boot, 15 s KVM sign of life, 60 s shutdown. */
    public static RunOptions defaults() {
        return new RunOptions(
                Accelerator.AUTO,
                Optional.empty(),
                Optional.empty(),
                ImageStore.standard(),
                QemuBinary.configured(),
                Timing.standard(),
                Duration.ofSeconds(180),
                Duration.ofSeconds(15),
                Duration.ofSeconds(60),
                false,
                Optional.empty());
    }

    public RunOptions withAccelerator(Accelerator value) {
        return with(c -> c.accelerator = value);
    }

    public RunOptions withResultsDir(Path value) {
        return with(c -> c.resultsDir = Optional.of(value));
    }

    /** Events go to {@code value} (which the caller closes) instead of a new events.jsonl. */
    public RunOptions withEvents(EventSink value) {
        return with(c -> c.events = Optional.of(value));
    }

    public RunOptions withImages(ImageStore value) {
        return with(c -> c.images = value);
    }

    public RunOptions withQemuBinary(Path value) {
        return with(c -> c.qemuBinary = value);
    }

    public RunOptions withTiming(Timing value) {
        return with(c -> c.timing = value);
    }

    public RunOptions withBootTimeout(Duration value) {
        return with(c -> c.bootTimeout = value);
    }

    public RunOptions withKvmSignOfLife(Duration value) {
        return with(c -> c.kvmSignOfLife = value);
    }

    public RunOptions withShutdownTimeout(Duration value) {
        return with(c -> c.shutdownTimeout = value);
    }

    /** Records every NIC's frames for the whole run (see {@link #capturePackets()}). */
    public RunOptions withPacketCapture(boolean value) {
        return with(c -> c.capturePackets = value);
    }

    /** Starts warm when the cache has this cluster formed, else boots and caches it (see {@link #warmStart()}). */
    public RunOptions withWarmStart(WarmStart value) {
        return with(c -> c.warmStart = Optional.of(value));
    }

    /** A copy with the components {@code change} sets. */
    private RunOptions with(java.util.function.Consumer<Copy> change) {
        Copy c = new Copy(this);
        change.accept(c);
        return c.build();
    }

    /** The components as fields, for the withers. */
    private static final class Copy {
        Accelerator accelerator;
        Optional<Path> resultsDir;
        Optional<EventSink> events;
        ImageStore images;
        Path qemuBinary;
        Timing timing;
        Duration bootTimeout;
        Duration kvmSignOfLife;
        Duration shutdownTimeout;
        boolean capturePackets;
        Optional<WarmStart> warmStart;

        Copy(RunOptions o) {
            accelerator = o.accelerator;
            resultsDir = o.resultsDir;
            events = o.events;
            images = o.images;
            qemuBinary = o.qemuBinary;
            timing = o.timing;
            bootTimeout = o.bootTimeout;
            kvmSignOfLife = o.kvmSignOfLife;
            shutdownTimeout = o.shutdownTimeout;
            capturePackets = o.capturePackets;
            warmStart = o.warmStart;
        }

        RunOptions build() {
            return new RunOptions(
                    accelerator,
                    resultsDir,
                    events,
                    images,
                    qemuBinary,
                    timing,
                    bootTimeout,
                    kvmSignOfLife,
                    shutdownTimeout,
                    capturePackets,
                    warmStart);
        }
    }

    /** The results directory for a run of {@code clusterName} with id {@code runId}. */
    Path resultsDirFor(String clusterName, String runId) {
        return resultsDir.orElseGet(() -> Path.of(System.getProperty("vmc.results.dir", "results"))
                .resolve(clusterName + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                        + "-" + runId)
                .toAbsolutePath());
    }
}
