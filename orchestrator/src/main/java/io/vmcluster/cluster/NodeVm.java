package io.vmcluster.cluster;

import io.vmcluster.channel.AgentChannel;
import io.vmcluster.channel.CommandChannel;
import io.vmcluster.cluster.spec.NicSpec;
import io.vmcluster.cluster.spec.NodeSpec;
import io.vmcluster.events.EventKind;
import io.vmcluster.image.ImageManifest;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.qemu.QemuCommandLine;
import io.vmcluster.qemu.QemuExitedException;
import io.vmcluster.qemu.QemuProcess;
import io.vmcluster.qemu.SerialLog;
import io.vmcluster.qmp.QmpClient;
import io.vmcluster.qmp.QmpEvent;
import io.vmcluster.qmp.QmpEventType;
import io.vmcluster.qmp.VmStatus;
import io.vmcluster.qmp.agent.GuestAgentClient;
import io.vmcluster.time.Deadline;
import io.vmcluster.time.Timing;
import io.vmcluster.time.Wait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
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
 * The machinery behind a {@link Node}: one QEMU at a time, with the lifecycle operations
 * serialised on one lock. The parts are classes of their own: {@link NodeLauncher} (disks,
 * command line, process, the KVM trial and fallback), {@link NodeReadiness}, {@link
 * NodeStateMachine} (fed by typed QMP events and the process exit), {@link NodeChannels} and
 * {@link NodeLogs}.
 */
final class NodeVm {
    private static final Logger LOG = LoggerFactory.getLogger(NodeVm.class);
    private static final Duration QUIT = Duration.ofSeconds(5);
    private static final Duration AGENT_CONNECT = Duration.ofSeconds(30);

    private final NodeSpec spec;
    private final ClusterContext ctx;
    private final Timing timing;
    private final List<NicSpec> nics;
    private final NodeLogs logs;
    private final NodeStateMachine states;
    // the parts made from the image: replaced together by useImage while QEMU is not running
    private volatile ImageManifest image;
    private volatile NodeLauncher launcher;
    private volatile NodeReadiness readiness;
    private volatile NodeChannels channels;
    /** Run in this order after the readiness line, within the same deadline. */
    private volatile List<NodeReadyCommand> readyCommands;

    private final Object lifecycle = new Object();
    private volatile QemuProcess qemu;

    NodeVm(NodeSpec spec, ImageManifest image, List<NicSpec> nics, ClusterContext ctx) {
        this.spec = spec;
        this.ctx = ctx;
        this.timing = ctx.options().timing();
        this.nics = nics;
        this.logs = new NodeLogs(spec.name(), ctx.resultsDir().resolve(spec.name()));
        this.states = new NodeStateMachine(spec.name(), ctx.events());
        parts(image, 0);
    }

    /** Makes the parts that depend on the image; {@code launches}: QEMU starts so far (names captures). */
    private void parts(ImageManifest image, int launches) {
        this.image = image;
        this.launcher = new NodeLauncher(spec, image, nics, ctx, logs, launches);
        this.readiness = new NodeReadiness(spec.name(), image.readiness().lineFor(spec.name()), logs.serial(), timing);
        this.channels = new NodeChannels(spec, image, nics, ctx, launcher.agentSocket(), states::state);
        List<NodeReadyCommand> ready = new java.util.ArrayList<>();
        image.readiness()
                .readyCommand()
                .ifPresent(
                        c -> ready.add(new NodeReadyCommand(c, "the image " + image.name() + "'s readiness.command")));
        spec.ready()
                .ifPresent(c -> ready.add(new NodeReadyCommand(c, "the cluster's ready_command of " + spec.name())));
        this.readyCommands = List.copyOf(ready);
    }

    NodeState state() {
        return states.state();
    }

    ImageManifest image() {
        return image;
    }

    /**
     * The next start boots {@code next}: its kernel, initrd, command line, readiness and channels.
     * The data disk stays; a root-disk overlay of the old image is dropped (it belongs to that
     * image). Only while QEMU does not run.
     */
    void useImage(ImageManifest next) {
        synchronized (lifecycle) {
            if (state().hasProcess()) {
                throw new IllegalStateException(
                        "node " + spec.name() + " is running (" + state() + "): stop it before changing its image");
            }
            launcher.dropRootOverlay();
            channels.closeAll();
            parts(next, launcher.launches());
        }
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
        return logs.serial();
    }

    Path logDir() {
        return logs.dir();
    }

    Path dataDisk() {
        return launcher.dataDisk();
    }

    Optional<Path> agentSocket() {
        return launcher.agentSocket();
    }

    Optional<Path> vncSocket() {
        return launcher.vncSocket();
    }

    QemuCommandLine commandLine(Accelerator accel) {
        return launcher.commandLine(accel);
    }

    Map<String, String> kernelParams() {
        return launcher.kernelParams();
    }

    // ---- lifecycle --------------------------------------------------------------------------

    void start() {
        synchronized (lifecycle) {
            requireStopped();
            NodeLauncher.Started started = launcher.start(hooks());
            channels.connected(started.qmp(), started.console());
        }
    }

    /**
     * A warm start's first half: QEMU under {@code accel}, paused, waiting for a saved state, on
     * an overlay of {@code baseDisk}; QMP and the console connected.
     */
    void startIncoming(Accelerator accel, Path baseDisk) throws IOException {
        synchronized (lifecycle) {
            requireStopped();
            NodeLauncher.Started started = launcher.startIncoming(accel, baseDisk, hooks());
            channels.connected(started.qmp(), started.console());
        }
    }

    /**
     * A warm start's second half: QMP {@code migrate-incoming} from {@code vmstate} (a migration
     * stream file), and the wait until QEMU has loaded it (paused, as started); QEMU exits when
     * the state does not fit its devices, and the exception then carries QEMU's words.
     */
    void loadIncoming(Path vmstate, Duration bound) {
        synchronized (lifecycle) {
            QemuProcess q = qemu;
            QmpClient client = channels.qmp();
            get(
                    client.execute(io.vmcluster.qmp.QmpCommand.of(
                            "migrate-incoming",
                            Map.of("uri", "exec:cat " + io.vmcluster.command.ShellQuote.quote(vmstate.toString())))),
                    "migrate-incoming");
            Wait.forCondition("node " + spec.name() + " to load its saved state from " + vmstate)
                    .timing(timing)
                    .every(Duration.ofMillis(20), Duration.ofMillis(200))
                    .atMost(bound)
                    .until(() -> {
                        Optional<io.vmcluster.qemu.QemuExit> exit = q.exit();
                        if (exit.isPresent()) {
                            throw Wait.giveUp(
                                    "node " + spec.name() + ": " + exit.get().describe()
                                            + " while loading the state from " + vmstate
                                            + (exit.get().lastWords().isEmpty()
                                                    ? ""
                                                    : ": " + exit.get().lastWords()));
                        }
                        String status;
                        try {
                            status = queryStatus().status();
                        } catch (RuntimeException e) {
                            if (q.exitWithin(Duration.ofSeconds(2)).isPresent()) {
                                return null; // the next try reports the exit
                            }
                            throw e;
                        }
                        if (status.equals("inmigrate")) {
                            throw Wait.notYet("QEMU is still loading (inmigrate)");
                        }
                        if (!status.equals("paused")) {
                            throw Wait.giveUp("node " + spec.name() + ": QEMU is '" + status
                                    + "' after loading the state from " + vmstate + ", not paused");
                        }
                        return Boolean.TRUE;
                    });
        }
    }

    /** A warm start is complete (the guest runs on from its loaded state): READY. */
    void warmReady() {
        states.ready("saved state loaded (warm start)");
    }

    private void requireStopped() {
        if (state().hasProcess()) {
            throw new IllegalStateException("node " + spec.name() + " is already running (" + state() + ")");
        }
    }

    /** Deletes the data disk so that the next start makes a blank one (after a failed warm start). */
    void dropDataDisk() {
        synchronized (lifecycle) {
            requireStopped();
            launcher.dropDataDisk();
        }
    }

    private NodeLauncher.Hooks hooks() {
        return new NodeLauncher.Hooks() {
            @Override
            public void started(QemuProcess q, boolean provisional) {
                qemu = q;
                readiness.rebootsAt(q.serialOffset());
                states.started(q, provisional);
            }

            @Override
            public void confirmed(QemuProcess q) {
                states.confirm(q);
            }

            @Override
            public void qmpEvent(QmpEvent event) {
                onQmpEvent(event);
            }

            @Override
            public void consoleLine(String line) {
                logs.consoleLine(line);
            }

            @Override
            public void discard(QemuProcess q) {
                states.forget(q);
                q.kill();
            }
        };
    }

    /** Waits for the readiness line since the last (re)boot; fails at once if QEMU exits. */
    void awaitReady(Duration timeout) {
        QemuProcess q = qemu;
        if (q == null) {
            throw new IllegalStateException("node " + spec.name() + " was never started");
        }
        Deadline deadline = timing.deadline(timeout);
        readiness.await(q, timeout, states::state);
        for (NodeReadyCommand c : readyCommands) {
            c.await(spec.name(), channels.console(), q, logs.serial(), timing, deadline, timeout, states::state);
        }
        states.ready();
    }

    void shutdown(Duration bound) {
        synchronized (lifecycle) {
            QemuProcess q = qemu;
            if (q == null || !q.isAlive()) {
                return;
            }
            states.stopping("system_powerdown");
            try {
                QmpClient client = channels.qmp();
                client.commands()
                        .systemPowerdown()
                        .get(timing.scale(NodeLauncher.QMP_CALL).toMillis(), TimeUnit.MILLISECONDS);
                q.onExit().get(timing.scale(bound).toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException | IllegalStateException e) {
                LOG.warn("node {} did not power down within {}; killing QEMU", spec.name(), timing.scale(bound));
                ctx.events().record(EventKind.NODE_SHUTDOWN_FORCED, spec.name(), Map.of("reason", String.valueOf(e)));
                states.expectKill();
                q.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                states.expectKill();
                q.kill();
            }
            channels.closeAll();
            awaitExitState(q);
        }
    }

    void crash() {
        synchronized (lifecycle) {
            QemuProcess q = qemu;
            if (q == null || !q.isAlive()) {
                return;
            }
            states.expectKill();
            q.kill();
            channels.closeAll();
            awaitExitState(q);
        }
    }

    void reset() {
        synchronized (lifecycle) {
            QmpClient client = channels.qmp();
            CompletableFuture<QmpEvent> reset =
                    client.awaitEvent(QmpEventType.RESET, timing.scale(NodeLauncher.QMP_CALL));
            get(client.commands().systemReset(), "system_reset");
            get(reset, "the RESET event");
        }
    }

    void pause() {
        synchronized (lifecycle) {
            QmpClient client = channels.qmp();
            CompletableFuture<QmpEvent> stop =
                    client.awaitEvent(QmpEventType.STOP, timing.scale(NodeLauncher.QMP_CALL));
            get(client.commands().stop(), "stop");
            get(stop, "the STOP event");
        }
    }

    void resume() {
        synchronized (lifecycle) {
            QmpClient client = channels.qmp();
            CompletableFuture<QmpEvent> resume =
                    client.awaitEvent(QmpEventType.RESUME, timing.scale(NodeLauncher.QMP_CALL));
            get(client.commands().cont(), "cont");
            get(resume, "the RESUME event");
        }
    }

    VmStatus queryStatus() {
        return get(channels.qmp().commands().queryStatus(), "query-status");
    }

    /** Quick stop for cluster close: QMP {@code quit} with a short bound, then SIGKILL. */
    void close() {
        synchronized (lifecycle) {
            QemuProcess q = qemu;
            if (q != null && q.isAlive()) {
                try {
                    QmpClient client =
                            channels.openQmp().orElseThrow(() -> new IllegalStateException("no QMP connection"));
                    client.commands().quit().get(timing.scale(QUIT).toMillis(), TimeUnit.MILLISECONDS);
                    q.onExit().get(timing.scale(QUIT).toMillis(), TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    states.expectKill();
                    q.kill();
                }
            }
            channels.closeAll();
            if (q != null) {
                awaitExitState(q);
            }
            logs.close();
        }
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
                .untilTrue(() -> !state().hasProcess());
    }

    // ---- channels ---------------------------------------------------------------------------

    QmpClient qmp() {
        return channels.qmp();
    }

    CommandChannel console() {
        return channels.console();
    }

    CommandChannel ssh() {
        return channels.ssh();
    }

    AgentChannel agent() {
        return channels.agent();
    }

    /** The guest agent client, connected; the wait for qemu-ga ends at once if QEMU exits. */
    GuestAgentClient guestAgent() {
        QemuProcess q = qemu;
        if (q == null) {
            return channels.guestAgent();
        }
        try {
            return q.whileRunning("the guest agent", timing.scale(AGENT_CONNECT), channels::guestAgent);
        } catch (IOException e) {
            throw new UncheckedIOException("node " + spec.name() + ": cannot reach the guest agent", e);
        }
    }

    /**
     * Waits for a QMP reply or event. When QEMU exits meanwhile the connection closes and the
     * wait ends at once; the exception then says how QEMU ended.
     */
    private <T> T get(CompletableFuture<T> f, String what) {
        try {
            return f.get(timing.scale(NodeLauncher.QMP_CALL).toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            QemuProcess q = qemu;
            var exit = q == null ? Optional.<io.vmcluster.qemu.QemuExit>empty() : q.exitWithin(Duration.ofMillis(500));
            if (exit.isPresent()) {
                throw new QemuExitedException(what + " on node " + spec.name(), exit.get(), e.getCause());
            }
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
        logs.qmpEvent(event);
        if (event.is(QmpEventType.RESET)) {
            readiness.rebootsNow();
        }
        states.qmpEvent(event);
    }
}
