package io.vmcluster.cluster;

import io.vmcluster.channel.ConsoleChannel;
import io.vmcluster.cluster.spec.Display;
import io.vmcluster.cluster.spec.GuestParams;
import io.vmcluster.cluster.spec.NicSpec;
import io.vmcluster.cluster.spec.NodeSpec;
import io.vmcluster.events.EventKind;
import io.vmcluster.image.ImageManifest;
import io.vmcluster.network.NetworkNamespace;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.qemu.AcceleratorChoice;
import io.vmcluster.qemu.AcceleratorUnavailableException;
import io.vmcluster.qemu.DiskImages;
import io.vmcluster.qemu.QemuCommandLine;
import io.vmcluster.qemu.QemuExit;
import io.vmcluster.qemu.QemuExitedException;
import io.vmcluster.qemu.QemuProcess;
import io.vmcluster.qmp.QmpClient;
import io.vmcluster.qmp.QmpClientOptions;
import io.vmcluster.qmp.QmpEvent;
import io.vmcluster.time.Durations;
import io.vmcluster.time.Timing;
import io.vmcluster.time.Wait;
import io.vmcluster.time.WaitTimeoutException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a node's QEMU and connects to it: the disks, the command line, the process, its QMP and
 * console sockets — every wait failing the moment QEMU exits. Under {@code auto} the start may
 * be the cluster's KVM trial ({@link AcceleratorChoice}): if KVM fails in any way (QEMU exits,
 * its sockets never open, the guest prints nothing), the attempt is discarded, the fallback is
 * recorded once with QEMU's own words, and the same start is made under TCG.
 */
final class NodeLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(NodeLauncher.class);
    static final Duration QMP_CONNECT = Duration.ofSeconds(30);
    static final Duration QMP_CALL = Duration.ofSeconds(30);
    static final Duration CONSOLE_CONNECT = Duration.ofSeconds(30);
    private static final int TAIL_LINES = 30;

    private final NodeSpec spec;
    private final ImageManifest image;
    private final List<NicSpec> nics;
    private final ClusterContext ctx;
    private final NodeLogs logs;
    private final Path tempDir;
    private final Timing timing;
    /** QEMU processes started so far (names each start's packet captures); a discarded KVM trial does not count. */
    private int launches;
    /** The QEMU of the last start, once it runs (a failed trial is discarded through it). */
    private QemuProcess lastStarted;

    /** What one start produced. */
    record Started(QemuProcess qemu, QmpClient qmp, ConsoleChannel console) {}

    /** What the node does with a starting QEMU. */
    interface Hooks {
        /** QEMU runs (nothing is connected yet); a {@code provisional} one is a KVM trial. */
        void started(QemuProcess q, boolean provisional);

        /** The KVM trial {@code q} works: it is the node's start. */
        void confirmed(QemuProcess q);

        /** A QMP event of that QEMU. */
        void qmpEvent(QmpEvent event);

        /** A line on its console that is not a command's reply. */
        void consoleLine(String line);

        /** A failed KVM trial: not a start of the node; kill it and forget it. */
        void discard(QemuProcess q);
    }

    /** @param launches QEMU starts of this node so far (on an earlier image), to go on counting from */
    NodeLauncher(
            NodeSpec spec, ImageManifest image, List<NicSpec> nics, ClusterContext ctx, NodeLogs logs, int launches) {
        this.launches = launches;
        this.spec = spec;
        this.image = image;
        this.nics = nics;
        this.ctx = ctx;
        this.logs = logs;
        this.tempDir = ctx.tempDir().resolve(spec.name());
        this.timing = ctx.options().timing();
        try {
            Files.createDirectories(tempDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of node " + spec.name() + ": " + tempDir, e);
        }
    }

    Path dataDisk() {
        return tempDir.resolve("data.qcow2");
    }

    /** QEMU starts so far. */
    int launches() {
        return launches;
    }

    /** Deletes the overlay of the image's root disk, if any: another image gets its own. */
    void dropRootOverlay() {
        try {
            Files.deleteIfExists(rootOverlay());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the root overlay " + rootOverlay(), e);
        }
    }

    private Path rootOverlay() {
        return tempDir.resolve("root.qcow2");
    }

    Optional<Path> agentSocket() {
        return image.channels() != null && image.channels().agent() != null
                ? Optional.of(tempDir.resolve("agent.sock"))
                : Optional.empty();
    }

    /**
     * Starts QEMU on the node's disks (made on first start) and connects QMP and the console.
     *
     * @throws NodeBootException when QEMU exits, its sockets do not open, or the accelerator asked
     *     for cannot be used (with the fix)
     */
    Started start(Hooks hooks) {
        prepareDisks();
        AcceleratorChoice choice = ctx.accelerators();
        AcceleratorChoice.Attempt attempt;
        try {
            attempt = choice.begin(timing.scale(QMP_CONNECT
                    .plus(CONSOLE_CONNECT)
                    .plus(ctx.options().kvmSignOfLife())
                    .plus(Duration.ofSeconds(30))));
        } catch (AcceleratorUnavailableException e) {
            throw new NodeBootException(spec.name(), e.getMessage(), "", "", NodeBootException.Fix.KVM_FAILED, e);
        }
        try (attempt) {
            if (!attempt.decidesKvm()) {
                return startOrExplain(attempt.accelerator(), hooks, null);
            }
            Started trial = null;
            String why;
            try {
                trial = launch(Accelerator.KVM, hooks, true);
                awaitGuestOutput(trial.qemu());
                attempt.kvmWorks();
                hooks.confirmed(trial.qemu());
                return trial;
            } catch (QemuExitedException e) {
                why = e.exit().describe() + qemuWords(e.exit());
            } catch (KvmSilentException e) {
                why = e.getMessage();
            } catch (IOException | WaitTimeoutException e) {
                why = "QEMU did not open its sockets under KVM (" + e.getMessage() + ")";
            }
            discard(trial, hooks);
            attempt.kvmFails(why);
            reportFallback(why, choice);
            return startOrExplain(Accelerator.TCG, hooks, why);
        }
    }

    /**
     * Starts QEMU paused and waiting for a saved state ({@code -incoming defer}) under {@code
     * accel}, with a new data disk that is a qcow2 overlay of {@code baseDisk} (the saved disk,
     * never written), and connects QMP and the console. No KVM trial: the state was saved under
     * {@code accel}.
     *
     * @throws QemuExitedException QEMU exited first
     * @throws IOException a socket did not accept in time
     */
    Started startIncoming(Accelerator accel, Path baseDisk, Hooks hooks) throws IOException {
        if (image.dataDisk() != null) {
            Files.deleteIfExists(dataDisk());
            DiskImages.with(timing).ensureOverlay(dataDisk(), baseDisk);
        }
        image.rootDiskPath().ifPresent(base -> DiskImages.with(timing).ensureOverlay(rootOverlay(), base));
        return launch(accel, hooks, false, true);
    }

    /** Deletes the data disk (a failed warm start's overlay: the boot that follows gets a blank one). */
    void dropDataDisk() {
        try {
            Files.deleteIfExists(dataDisk());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the data disk " + dataDisk(), e);
        }
    }

    /** One start under {@code accel}, its failures turned into a {@link NodeBootException} with the fix. */
    private Started startOrExplain(Accelerator accel, Hooks hooks, String kvmFailure) {
        String after = kvmFailure == null ? "" : " (after KVM failed: " + kvmFailure + ")";
        boolean explicitKvm = accel == Accelerator.KVM;
        try {
            return launch(accel, hooks, false);
        } catch (QemuExitedException e) {
            QemuExit exit = e.exit();
            String words = exit.lastWords();
            throw new NodeBootException(
                    spec.name(),
                    "under " + accel.qemuName() + ", " + e.summary() + (words.isEmpty() ? "" : ": " + words) + after,
                    exit.serialTail(),
                    exit.stderrTail(),
                    explicitKvm ? NodeBootException.Fix.KVM_FAILED : NodeBootException.Fix.QEMU_EXITED,
                    e);
        } catch (IOException | WaitTimeoutException e) {
            throw new NodeBootException(
                    spec.name(),
                    "cannot connect to QEMU's QMP or console socket (" + e.getMessage() + ")" + after,
                    logs.serial().tail(TAIL_LINES),
                    "",
                    NodeBootException.Fix.SLOW_HOST,
                    e);
        }
    }

    /**
     * Starts QEMU and connects QMP and the console, each wait ending when QEMU exits.
     *
     * @throws QemuExitedException QEMU exited first
     * @throws IOException a socket did not accept in time
     */
    private Started launch(Accelerator accel, Hooks hooks, boolean trial) throws IOException {
        return launch(accel, hooks, trial, false);
    }

    private Started launch(Accelerator accel, Hooks hooks, boolean trial, boolean incoming) throws IOException {
        launches++;
        lastStarted = null;
        if (ctx.options().capturePackets()) {
            try {
                Files.createDirectories(capturesDir());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + capturesDir(), e);
            }
        }
        QemuCommandLine line = commandLine(accel).toBuilder().incoming(incoming).build();
        QemuProcess q = QemuProcess.start(
                ctx.launcher(),
                line,
                Optional.ofNullable(ctx.namespace()).map(NetworkNamespace::name),
                logs.argv(),
                logs.stderr());
        lastStarted = q;
        hooks.started(q, trial);
        Duration qmpBound = timing.scale(QMP_CONNECT);
        QmpClient qmp = q.whileRunning(
                "its QMP socket",
                qmpBound,
                () -> QmpClient.connect(
                        line.qmpSocket(),
                        QmpClientOptions.DEFAULTS
                                .withConnectTimeout(qmpBound)
                                .withDefaultTimeout(timing.scale(QMP_CALL))
                                .withName(spec.name())));
        try {
            qmp.subscribe(hooks::qmpEvent);
            ConsoleChannel console = q.whileRunning(
                    "its console socket",
                    timing.scale(CONSOLE_CONNECT),
                    () -> ConsoleChannel.connect(
                            spec.name(), line.consoleSocket(), hooks::consoleLine, timing, CONSOLE_CONNECT));
            return new Started(q, qmp, console);
        } catch (IOException | RuntimeException e) {
            qmp.close();
            throw e;
        }
    }

    /** The command line of this node's QEMU under {@code accel}. */
    QemuCommandLine commandLine(Accelerator accel) {
        // with a screen the kernel writes to it too; the image's console (last) stays /dev/console
        String append = ((vncSocket().isPresent() ? "console=tty0 " : "") + image.cmdline() + " "
                        + GuestParams.commandLine(kernelParams()) + " " + String.join(" ", spec.kernelArgs()))
                .strip();
        QemuCommandLine.Builder b = QemuCommandLine.builder(ctx.options().qemuBinary(), spec.name())
                .accelerator(accel)
                .memoryMiB(Math.max(spec.memoryMiB(), image.minMemoryMiB()))
                .cpus(spec.cpus())
                .kernel(image.kernel())
                .initrd(image.initrd())
                .append(append)
                .rootOverlay(image.rootDiskPath().map(base -> rootOverlay()))
                .dataDisk(Optional.ofNullable(image.dataDisk())
                        .map(d ->
                                new QemuCommandLine.DataDisk(dataDisk(), d.serial() == null ? "vmc-data" : d.serial())))
                .qmpSocket(tempDir.resolve("qmp.sock"))
                .consoleSocket(tempDir.resolve("console.sock"))
                .agentSocket(agentSocket())
                .vncSocket(vncSocket())
                .logPort(image.serviceLogStream().map(port -> new QemuCommandLine.LogPort(port, logs.serviceStream())))
                .serialLog(logs.serial().file())
                .devices(image.devices());
        for (NicSpec n : nics) {
            b.nic(new QemuCommandLine.Nic(
                    n.deviceId(), n.netdevId(), n.tapName(), n.mac().toString(), captureFile(n)));
        }
        if (accel == Accelerator.KVM) {
            b.cpu(ctx.accelerators().kvmCpu());
        }
        return b.build();
    }

    /** Where QEMU serves the node's screen, when it has one ({@link Display#VNC}). */
    Optional<Path> vncSocket() {
        return spec.display() == Display.VNC ? Optional.of(tempDir.resolve("vnc.sock")) : Optional.empty();
    }

    Map<String, String> kernelParams() {
        return new LinkedHashMap<>(GuestParams.of(
                ctx.spec(),
                spec.name(),
                ctx.sshKeys() == null ? null : ctx.sshKeys().kernelParamValue()));
    }

    private void prepareDisks() {
        if (image.dataDisk() != null) {
            DiskImages.with(timing).ensureDataDisk(dataDisk(), image.dataDisk().sizeMiB());
        }
        image.rootDiskPath().ifPresent(base -> DiskImages.with(timing).ensureOverlay(rootOverlay(), base));
    }

    /**
     * Waits for the KVM guest to print something of its own on ttyS0 (the real-mode setup line
     * does not count: broken nested virtualisation prints it and then hangs).
     */
    private void awaitGuestOutput(QemuProcess q) {
        Duration bound = ctx.options().kvmSignOfLife();
        try {
            Wait.forCondition("node " + spec.name() + " to print on ttyS0 under KVM")
                    .timing(timing)
                    .every(Duration.ofMillis(100), Duration.ofMillis(500))
                    .atMost(bound)
                    .until(() -> {
                        if (q.showedGuestOutput()) {
                            return Boolean.TRUE;
                        }
                        if (q.exit().isPresent()) {
                            throw Wait.giveUp("QEMU exited");
                        }
                        return null;
                    });
        } catch (Wait.GiveUp e) {
            throw new QemuExitedException(
                    "the guest's first output under KVM", q.exit().orElseThrow(), e);
        } catch (WaitTimeoutException e) {
            String serial = q.serialTail(1).strip();
            throw new KvmSilentException("the guest printed nothing under KVM within "
                    + Durations.format(timing.scale(bound))
                    + (serial.isEmpty() ? "" : " but the kernel's real-mode setup line '" + serial + "'"));
        }
    }

    /** Kills a failed KVM trial and takes back its start number and (empty) packet captures. */
    private void discard(Started trial, Hooks hooks) {
        if (trial != null) {
            trial.qmp().close();
            trial.console().close();
        }
        if (lastStarted != null) {
            hooks.discard(lastStarted);
            lastStarted = null;
        }
        for (NicSpec nic : nics) {
            captureFile(nic).ifPresent(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    LOG.debug("cannot delete {}", f, e);
                }
            });
        }
        launches--;
    }

    private void reportFallback(String why, AcceleratorChoice choice) {
        LOG.warn(
                "KVM does not work on this host ({}); every node of cluster {} runs under TCG ({})",
                why,
                ctx.spec().name(),
                choice.kvmProbe().reason());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("from", Accelerator.KVM.qemuName());
        fields.put("to", Accelerator.TCG.qemuName());
        fields.put("reason", why);
        fields.put("cpu", choice.kvmCpu());
        fields.put("scope", "cluster");
        ctx.events().record(EventKind.NODE_ACCEL_FALLBACK, spec.name(), fields);
    }

    /** {@code ": <last stderr lines>"}: what QEMU said before it went, joined on one line. */
    private static String qemuWords(QemuExit exit) {
        List<String> lines = exit.stderrTail()
                .strip()
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .toList();
        String words = String.join(" / ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        return words.isEmpty() ? " (it wrote nothing on stderr)" : ": " + words;
    }

    /** Where this start's frames of {@code nic} go, when the run records packets. */
    private Optional<Path> captureFile(NicSpec nic) {
        if (!ctx.options().capturePackets()) {
            return Optional.empty();
        }
        return Optional.of(capturesDir().resolve(spec.name() + "-" + nic.deviceId() + "-boot" + launches + ".pcap"));
    }

    private Path capturesDir() {
        return ctx.resultsDir().resolve("captures");
    }

    /** The KVM guest printed nothing of its own in time. */
    private static final class KvmSilentException extends RuntimeException {
        KvmSilentException(String message) {
            super(message);
        }
    }
}
