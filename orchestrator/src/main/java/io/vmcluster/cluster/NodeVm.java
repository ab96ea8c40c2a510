package io.vmcluster.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmcluster.channel.AgentChannel;
import io.vmcluster.channel.CommandChannel;
import io.vmcluster.channel.ConsoleChannel;
import io.vmcluster.channel.SshChannel;
import io.vmcluster.cluster.spec.GuestParams;
import io.vmcluster.cluster.spec.NicSpec;
import io.vmcluster.cluster.spec.NodeSpec;
import io.vmcluster.image.ImageManifest;
import io.vmcluster.network.NetworkNamespace;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.qemu.DiskImages;
import io.vmcluster.qemu.QemuCommandLine;
import io.vmcluster.qemu.QemuProcess;
import io.vmcluster.qemu.SerialLog;
import io.vmcluster.qmp.QmpClient;
import io.vmcluster.qmp.QmpClientOptions;
import io.vmcluster.qmp.QmpEvent;
import io.vmcluster.qmp.VmStatus;
import io.vmcluster.qmp.agent.GuestAgentClient;
import io.vmcluster.time.Timing;
import io.vmcluster.time.Wait;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machinery behind a {@link Node}: one QEMU at a time, its QMP client and channels, the
 * state machine fed by QMP events and process exit, and the per-node files.
 */
final class NodeVm {
    private static final Logger LOG = LoggerFactory.getLogger(NodeVm.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration QMP_CONNECT = Duration.ofSeconds(30);
    private static final Duration QMP_CALL = Duration.ofSeconds(30);
    private static final Duration CONSOLE_CONNECT = Duration.ofSeconds(30);
    private static final int TAIL_LINES = 30;

    private final NodeSpec spec;
    private final ImageManifest image;
    private final List<NicSpec> nics;
    private final ClusterContext ctx;
    private final Timing timing;
    private final Path tempDir;
    private final Path logDir;
    /** QEMU processes started so far (names each start's packet captures). */
    private int launches;

    private final SerialLog serial;
    private final Object lifecycle = new Object();

    private volatile NodeState state = NodeState.NOT_STARTED;
    private volatile QemuProcess qemu;
    private volatile QmpClient qmp;
    private volatile ConsoleChannel console;
    private volatile SshChannel ssh;
    private volatile AgentChannel agent;
    private volatile long readinessOffset;
    private volatile boolean ready;
    private volatile boolean killRequested;
    private BufferedWriter qmpLog;
    private BufferedWriter consoleLog;

    NodeVm(NodeSpec spec, ImageManifest image, List<NicSpec> nics, ClusterContext ctx) {
        this.spec = spec;
        this.image = image;
        this.nics = nics;
        this.ctx = ctx;
        this.timing = ctx.options().timing();
        this.tempDir = ctx.tempDir().resolve(spec.name());
        this.logDir = ctx.resultsDir().resolve(spec.name());
        try {
            Files.createDirectories(tempDir);
            Files.createDirectories(logDir);
            qmpLog = append(logDir.resolve("qmp-events.jsonl"));
            consoleLog = append(logDir.resolve("console.log"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directories of node " + spec.name(), e);
        }
        this.serial = new SerialLog(logDir.resolve("serial.log"));
    }

    NodeState state() {
        return state;
    }

    Optional<Accelerator> accelerator() {
        QemuProcess q = qemu;
        return q == null ? Optional.empty() : Optional.of(q.accelerator());
    }

    Optional<Long> pid() {
        QemuProcess q = qemu;
        return q != null && q.isAlive() ? Optional.of(q.pid()) : Optional.empty();
    }

    SerialLog serial() {
        return serial;
    }

    Path logDir() {
        return logDir;
    }

    Path dataDisk() {
        return tempDir.resolve("data.qcow2");
    }

    // ---- start ------------------------------------------------------------------------------

    void start() {
        synchronized (lifecycle) {
            if (state.hasProcess()) {
                throw new IllegalStateException("node " + spec.name() + " is already running (" + state + ")");
            }
            prepareDisks();
            Accelerator accel = ctx.accelerators().next();
            launch(accel);
            if (ctx.accelerators().mayFallBack(accel) && !awaitSignOfLife()) {
                String why = "no output on ttyS0 within "
                        + timing.scale(ctx.options().kvmSignOfLife()).toSeconds() + " s under KVM";
                stopProcess();
                if (ctx.accelerators().fallBack()) {
                    LOG.warn(
                            "KVM guests show no sign of life ({}): falling back to TCG for this run ({})",
                            why,
                            ctx.accelerators().kvmProbe().reason());
                }
                ctx.events()
                        .record(
                                "node.accelerator.fallback",
                                spec.name(),
                                Map.of("from", "kvm", "to", "tcg", "reason", why));
                forgetLaunch(); // the KVM attempt is not a start of the node: its captures go
                launch(Accelerator.TCG);
            }
        }
    }

    private void prepareDisks() {
        if (image.dataDisk() != null) {
            DiskImages.ensureDataDisk(dataDisk(), image.dataDisk().sizeMiB());
        }
        image.rootDiskPath().ifPresent(base -> DiskImages.ensureOverlay(tempDir.resolve("root.qcow2"), base));
    }

    private void launch(Accelerator accel) {
        launches++;
        if (ctx.options().capturePackets()) {
            try {
                Files.createDirectories(capturesDir());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + capturesDir(), e);
            }
        }
        QemuCommandLine line = commandLine(accel);
        killRequested = false;
        ready = false;
        QemuProcess q = QemuProcess.start(
                ctx.launcher(),
                line,
                Optional.ofNullable(ctx.namespace()).map(NetworkNamespace::name),
                logDir.resolve("qemu.argv"),
                logDir.resolve("qemu.stderr"));
        qemu = q;
        readinessOffset = q.serialOffset();
        setState(NodeState.BOOTING, "QEMU started", Map.of("accelerator", accel.qemuName(), "pid", q.pid()));
        q.onExit().thenAccept(code -> onExit(q, code));
        try {
            QmpClient client = QmpClient.connect(
                    line.qmpSocket(),
                    QmpClientOptions.DEFAULTS
                            .withConnectTimeout(timing.scale(QMP_CONNECT))
                            .withDefaultTimeout(timing.scale(QMP_CALL))
                            .withName(spec.name()));
            client.subscribe(this::onQmpEvent);
            qmp = client;
            console = ConsoleChannel.connect(
                    spec.name(), line.consoleSocket(), this::onConsoleLine, timing, CONSOLE_CONNECT);
        } catch (IOException | RuntimeException e) {
            throw new NodeBootException(
                    spec.name(),
                    "cannot connect to QEMU's QMP or console socket (" + e.getMessage() + ")",
                    serial.tail(TAIL_LINES),
                    q.stderrTail(TAIL_LINES),
                    e);
        }
    }

    QemuCommandLine commandLine(Accelerator accel) {
        String append = (image.cmdline() + " " + GuestParams.commandLine(kernelParams())).strip();
        return new QemuCommandLine(
                ctx.options().qemuBinary(),
                spec.name(),
                accel,
                Math.max(spec.memoryMiB(), image.minMemoryMiB()),
                spec.cpus(),
                image.kernel(),
                image.initrd(),
                append,
                image.rootDiskPath().map(b -> tempDir.resolve("root.qcow2")),
                Optional.ofNullable(image.dataDisk())
                        .map(d ->
                                new QemuCommandLine.DataDisk(dataDisk(), d.serial() == null ? "vmc-data" : d.serial())),
                nics.stream()
                        .map(n -> new QemuCommandLine.Nic(
                                n.deviceId(), n.netdevId(), n.tapName(), n.mac().toString(), captureFile(n)))
                        .toList(),
                tempDir.resolve("qmp.sock"),
                tempDir.resolve("console.sock"),
                agentSocket(),
                serial.file(),
                image.devices());
    }

    /** Where this start's frames of {@code nic} go, when the run records packets. */
    private Optional<Path> captureFile(NicSpec nic) {
        if (!ctx.options().capturePackets()) {
            return Optional.empty();
        }
        return Optional.of(capturesDir().resolve(spec.name() + "-" + nic.deviceId() + "-boot" + launches + ".pcap"));
    }

    /** Takes back the last launch's number and deletes its (empty) packet captures. */
    private void forgetLaunch() {
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

    private Path capturesDir() {
        return ctx.resultsDir().resolve("captures");
    }

    Map<String, String> kernelParams() {
        Map<String, String> p = new LinkedHashMap<>(GuestParams.of(
                ctx.spec(),
                spec.name(),
                ctx.sshKeys() == null ? null : ctx.sshKeys().kernelParamValue()));
        return p;
    }

    private boolean hasAgent() {
        return image.channels() != null && image.channels().agent() != null;
    }

    private boolean awaitSignOfLife() {
        QemuProcess q = qemu;
        try {
            Wait.forCondition("node " + spec.name() + " to write anything on ttyS0 under KVM")
                    .timing(timing)
                    .every(Duration.ofMillis(100), Duration.ofMillis(500))
                    .atMost(ctx.options().kvmSignOfLife())
                    .until(() -> {
                        if (q.showedSignOfLife()) {
                            return Boolean.TRUE;
                        }
                        if (!q.isAlive()) {
                            throw Wait.giveUp("QEMU exited");
                        }
                        return null;
                    });
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    // ---- readiness --------------------------------------------------------------------------

    void awaitReady(Duration timeout) {
        String line = image.readiness().lineFor(spec.name());
        QemuProcess q = qemu;
        if (q == null) {
            throw new IllegalStateException("node " + spec.name() + " was never started");
        }
        try {
            Wait.forCondition("node " + spec.name() + " to print '" + line + "' on ttyS0")
                    .timing(timing)
                    .every(Duration.ofMillis(50), Duration.ofMillis(100))
                    .atMost(timeout)
                    .until(() -> {
                        if (serial.hasLineSince(readinessOffset, line)) {
                            return Boolean.TRUE;
                        }
                        if (!q.isAlive()) {
                            throw Wait.giveUp("QEMU exited (" + state + ") before the guest was ready");
                        }
                        if (state == NodeState.PAUSED) {
                            throw Wait.notYet("the node is paused");
                        }
                        return null;
                    });
        } catch (RuntimeException e) {
            throw new NodeBootException(
                    spec.name(), "not ready: " + e.getMessage(), serial.tail(TAIL_LINES), q.stderrTail(TAIL_LINES), e);
        }
        ready = true;
        if (state == NodeState.BOOTING) {
            setState(NodeState.READY, "readiness line on ttyS0", Map.of());
        }
    }

    // ---- lifecycle --------------------------------------------------------------------------

    void shutdown(Duration bound) {
        synchronized (lifecycle) {
            QemuProcess q = qemu;
            if (q == null || !q.isAlive()) {
                return;
            }
            setState(NodeState.STOPPING, "system_powerdown", Map.of());
            try {
                qmp.commands().systemPowerdown().get(timing.scale(QMP_CALL).toMillis(), TimeUnit.MILLISECONDS);
                q.onExit().get(timing.scale(bound).toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                LOG.warn("node {} did not power down within {}; killing QEMU", spec.name(), timing.scale(bound));
                ctx.events().record("node.shutdown.forced", spec.name(), Map.of("reason", String.valueOf(e)));
                q.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                q.kill();
            }
            closeConnections();
            awaitExitState(q);
        }
    }

    void crash() {
        synchronized (lifecycle) {
            QemuProcess q = qemu;
            if (q == null || !q.isAlive()) {
                return;
            }
            killRequested = true;
            q.kill();
            closeConnections();
            awaitExitState(q);
        }
    }

    void reset() {
        synchronized (lifecycle) {
            QmpClient client = requireQmp();
            CompletableFuture<QmpEvent> reset = client.awaitEvent("RESET", timing.scale(QMP_CALL));
            get(client.commands().systemReset(), "system_reset");
            get(reset, "the RESET event");
        }
    }

    void pause() {
        synchronized (lifecycle) {
            QmpClient client = requireQmp();
            CompletableFuture<QmpEvent> stop = client.awaitEvent("STOP", timing.scale(QMP_CALL));
            get(client.commands().stop(), "stop");
            get(stop, "the STOP event");
        }
    }

    void resume() {
        synchronized (lifecycle) {
            QmpClient client = requireQmp();
            CompletableFuture<QmpEvent> resume = client.awaitEvent("RESUME", timing.scale(QMP_CALL));
            get(client.commands().cont(), "cont");
            get(resume, "the RESUME event");
        }
    }

    VmStatus queryStatus() {
        return get(requireQmp().commands().queryStatus(), "query-status");
    }

    /** Quick stop for cluster close: QMP {@code quit} with a short bound, then SIGKILL. */
    void close() {
        synchronized (lifecycle) {
            QemuProcess q = qemu;
            if (q != null && q.isAlive()) {
                try {
                    QmpClient client = qmp;
                    if (client == null || client.isClosed()) {
                        throw new IllegalStateException("no QMP connection");
                    }
                    client.commands()
                            .quit()
                            .get(timing.scale(Duration.ofSeconds(5)).toMillis(), TimeUnit.MILLISECONDS);
                    q.onExit().get(timing.scale(Duration.ofSeconds(5)).toMillis(), TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    killRequested = true;
                    q.kill();
                }
            }
            closeConnections();
            if (q != null) {
                awaitExitState(q);
            }
            closeQuietly(qmpLog);
            closeQuietly(consoleLog);
        }
    }

    private void stopProcess() {
        killRequested = true;
        qemu.kill();
        closeConnections();
        awaitExitState(qemu);
    }

    private void awaitExitState(QemuProcess q) {
        try {
            q.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // kill() already waited; the state follows from onExit
        }
        // onExit runs asynchronously: make the state final before returning
        Wait.forCondition("node " + spec.name() + " to record QEMU's exit")
                .timing(timing)
                .atMost(Duration.ofSeconds(5))
                .untilTrue(() -> !state.hasProcess());
    }

    private void closeConnections() {
        QmpClient client = qmp;
        qmp = null;
        if (client != null) {
            client.close();
        }
        ConsoleChannel c = console;
        console = null;
        if (c != null) {
            c.close();
        }
        SshChannel s;
        AgentChannel a;
        synchronized (this) {
            s = ssh;
            ssh = null;
            a = agent;
            agent = null;
        }
        if (s != null) {
            s.close();
        }
        if (a != null) {
            a.close();
        }
    }

    // ---- channels ---------------------------------------------------------------------------

    QmpClient qmp() {
        return requireQmp();
    }

    CommandChannel console() {
        ConsoleChannel c = console;
        if (c == null) {
            throw new IllegalStateException("node " + spec.name() + " has no console: it is " + state);
        }
        return c;
    }

    synchronized CommandChannel ssh() {
        if (ssh == null) {
            if (ctx.namespace() == null || nics.isEmpty()) {
                throw new IllegalStateException("node " + spec.name() + " has no network the host can reach");
            }
            if (console == null) {
                throw new IllegalStateException("node " + spec.name() + " has no SSH: it is " + state);
            }
            NicSpec nic = reachableNic();
            ImageManifest.Ssh cfg =
                    image.channels() == null ? null : image.channels().ssh();
            int port = cfg == null || cfg.port() == 0 ? 22 : cfg.port();
            String user = cfg == null || cfg.user() == null ? "root" : cfg.user();
            ssh = SshChannel.create(
                    spec.name(),
                    nic.address().toString(),
                    port,
                    user,
                    ctx.sshKeys(),
                    ctx.namespace().sockets().jschSocketFactory(Duration.ofSeconds(10)),
                    timing);
        }
        return ssh;
    }

    /**
     * Commands over the guest agent; the channel (and its one connection to the agent's port) is
     * made on first use, and anew after a restart.
     */
    synchronized AgentChannel agent() {
        if (agent == null) {
            Optional<Path> socket = agentSocket();
            if (socket.isEmpty() || console == null) {
                throw new IllegalStateException("node " + spec.name() + " has no guest agent"
                        + (socket.isEmpty() ? " (the image declares none)" : ": it is " + state));
            }
            agent = AgentChannel.create(spec.name(), socket.get(), timing);
        }
        return agent;
    }

    /** The guest agent client of {@link #agent()}, connected (waiting for qemu-ga to answer). */
    GuestAgentClient guestAgent() {
        return agent().client(QMP_CONNECT);
    }

    Optional<Path> agentSocket() {
        return hasAgent() ? Optional.of(tempDir.resolve("agent.sock")) : Optional.empty();
    }

    /** The first NIC on a LAN (the host has an address on LANs only). */
    private NicSpec reachableNic() {
        return ctx.spec().segments().stream()
                .filter(s -> s.hostAddress().isPresent())
                .flatMap(s -> s.nics().stream())
                .filter(n -> n.node().equals(spec.name()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "node " + spec.name() + " is on no LAN, so the host cannot reach it over the network"));
    }

    private QmpClient requireQmp() {
        QmpClient client = qmp;
        if (client == null || client.isClosed()) {
            throw new IllegalStateException("node " + spec.name() + " has no QMP connection: it is " + state);
        }
        return client;
    }

    private <T> T get(CompletableFuture<T> f, String what) {
        try {
            return f.get(timing.scale(QMP_CALL).toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "node " + spec.name() + ": " + what + " failed: "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("node " + spec.name() + ": no answer to " + what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + what + " on " + spec.name(), e);
        }
    }

    // ---- events -----------------------------------------------------------------------------

    private void onQmpEvent(QmpEvent event) {
        writeLine(qmpLog, () -> {
            ObjectNode o = JSON.createObjectNode();
            o.put("time", event.timestamp().toString());
            o.put("event", event.name());
            if (event.data() != null) {
                o.set("data", event.data());
            }
            return o.toString();
        });
        switch (event.name()) {
            case "STOP" -> setState(NodeState.PAUSED, "QMP STOP", Map.of());
            case "RESUME" -> setState(ready ? NodeState.READY : NodeState.BOOTING, "QMP RESUME", Map.of());
            case "RESET" -> {
                readinessOffset = serial.size();
                ready = false;
                setState(NodeState.BOOTING, "QMP RESET", Map.of("qmpReason", String.valueOf(event.dataText("reason"))));
            }
            case "POWERDOWN", "SHUTDOWN" ->
                setState(
                        NodeState.STOPPING,
                        "QMP " + event.name(),
                        Map.of("qmpReason", String.valueOf(event.dataText("reason"))));
            default -> {}
        }
    }

    private void onExit(QemuProcess q, int code) {
        if (q != qemu) {
            return;
        }
        NodeState next = !killRequested && state == NodeState.STOPPING ? NodeState.STOPPED : NodeState.CRASHED;
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("exitCode", code);
        if (!killRequested && next == NodeState.CRASHED) {
            fields.put("stderr", q.stderrTail(10));
            LOG.warn("QEMU of node {} exited unexpectedly with {}: {}", spec.name(), code, q.stderrTail(10));
        }
        setState(next, killRequested ? "QEMU killed" : "QEMU exited", fields);
    }

    private void onConsoleLine(String line) {
        writeLine(consoleLog, () -> "[" + spec.name() + "] " + line);
    }

    private void setState(NodeState next, String reason, Map<String, Object> extra) {
        NodeState previous;
        synchronized (this) {
            previous = state;
            if (previous == next) {
                return;
            }
            state = next;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("state", next.name());
        fields.put("previous", previous.name());
        fields.put("reason", reason);
        QemuProcess q = qemu;
        if (q != null) {
            fields.put("accelerator", q.accelerator().qemuName());
        }
        fields.putAll(extra);
        ctx.events().record("node.state", spec.name(), fields);
        LOG.debug("node {}: {} -> {} ({})", spec.name(), previous, next, reason);
    }

    private interface Line {
        String text();
    }

    private static void writeLine(BufferedWriter out, Line line) {
        if (out == null) {
            return;
        }
        synchronized (out) {
            try {
                out.write(line.text());
                out.write('\n');
                out.flush();
            } catch (IOException e) {
                // the log is best effort once closed
            }
        }
    }

    private static BufferedWriter append(Path file) throws IOException {
        return Files.newBufferedWriter(
                file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static void closeQuietly(BufferedWriter w) {
        if (w != null) {
            synchronized (w) {
                try {
                    w.close();
                } catch (IOException ignored) {
                    // closing logs at the end of a run
                }
            }
        }
    }
}
