package io.vmcluster.cluster;

import io.vmcluster.channel.CommandChannel;
import io.vmcluster.channel.Shell;
import io.vmcluster.cluster.spec.NicSpec;
import io.vmcluster.cluster.spec.NodeSpec;
import io.vmcluster.command.CommandResult;
import io.vmcluster.command.ShellQuote;
import io.vmcluster.image.ImageManifest;
import io.vmcluster.network.Ipv4Address;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.qemu.QemuCommandLine;
import io.vmcluster.qemu.SerialLog;
import io.vmcluster.qmp.QmpClient;
import io.vmcluster.qmp.VmStatus;
import io.vmcluster.qmp.agent.GuestAgentClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One VM of a running {@link Cluster}: its lifecycle (start, ready, shutdown, crash, restart,
 * reset, pause/resume), its command channels and the test vocabulary on top of them
 * ({@code succeed}, {@code fail}, {@code waitUntilSucceeds}, {@code waitForPort}...).
 *
 * <p>Commands go through the hvc0 console unless a method says otherwise; it needs nothing but a
 * shell in the guest and works with every NIC cut. Timeouts are nominal (Timing-scaled).
 * Lifecycle methods are serialised per node; commands may run while another thread waits.
 */
public final class Node {
    /** Bound for one command when none is given. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Shell.DEFAULT_TIMEOUT;

    private final NodeSpec spec;
    private final List<NicSpec> nics;
    private final ClusterContext ctx;
    private final NodeVm vm;
    private volatile java.net.InetSocketAddress display;

    Node(NodeSpec spec, ImageManifest image, ClusterContext ctx) {
        this.spec = spec;
        this.nics = ctx.spec().nics(spec.name());
        this.ctx = ctx;
        this.vm = new NodeVm(spec, image, nics, ctx);
    }

    // ---- identity and addresses ---------------------------------------------------------------

    public String name() {
        return spec.name();
    }

    /** 1-based id; addresses and MACs derive from it. */
    public int id() {
        return spec.id();
    }

    public NodeSpec spec() {
        return spec;
    }

    /** The image the node boots: the cluster spec's, or the last {@link #upgrade}'s. */
    public ImageManifest image() {
        return vm.image();
    }

    /** The node's NICs in guest order (eth0 first), with MAC, address, QEMU ids and tap names. */
    public List<NicSpec> nics() {
        return nics;
    }

    /** The address of the first NIC (eth0), if the node has any NIC. */
    public Optional<Ipv4Address> address() {
        return nics.stream().findFirst().map(NicSpec::address);
    }

    /** The address on the LAN or link called {@code segment}, or an exception listing the node's segments. */
    public Ipv4Address address(String segment) {
        return nics.stream()
                .filter(n -> n.segment().equals(segment))
                .findFirst()
                .map(NicSpec::address)
                .orElseThrow(() -> new IllegalArgumentException("node " + name() + " has no NIC on '" + segment
                        + "'; it is on " + nics.stream().map(NicSpec::segment).toList()));
    }

    // ---- names for fault injection ------------------------------------------------------------

    /** QEMU device id of the data disk ({@code block_set_io_throttle} takes it). */
    public String dataDiskDevice() {
        return QemuCommandLine.DATA_DEVICE;
    }

    /** Block node name of the raw node the data disk device is attached to. */
    public String dataDiskNode() {
        return QemuCommandLine.DATA_NODE;
    }

    /** Block node name of the data disk's qcow2 node, under {@link #dataDiskNode()}; blkdebug goes between them. */
    public String dataDiskImageNode() {
        return QemuCommandLine.DATA_IMAGE_NODE;
    }

    /** The data disk file (qcow2), kept across restarts for the whole run. */
    public Path dataDiskFile() {
        return vm.dataDisk();
    }

    // ---- state and lifecycle ------------------------------------------------------------------

    /** The state as last reported by QEMU and the guest. */
    public NodeState state() {
        return vm.state();
    }

    /** The accelerator the current (or last) QEMU runs with; empty before the first start. */
    public Optional<Accelerator> accelerator() {
        return vm.accelerator();
    }

    /** QEMU's own view ({@code query-status}), e.g. {@code running}, {@code paused}. */
    public VmStatus status() {
        return vm.queryStatus();
    }

    /** Starts QEMU (on the existing disks, if any) without waiting for the guest. */
    public void start() {
        vm.start();
    }

    /** Waits for the image's readiness line since the last (re)boot, within the run's boot timeout. */
    public void awaitReady() {
        vm.awaitReady(ctx.options().bootTimeout());
    }

    /** Waits for the image's readiness line since the last (re)boot. */
    public void awaitReady(Duration timeout) {
        vm.awaitReady(timeout);
    }

    /** Graceful: ACPI power button, then QEMU is killed if it has not exited within the run's bound. */
    public void shutdown() {
        vm.shutdown(ctx.options().shutdownTimeout());
    }

    /** Power loss: QEMU is killed (SIGKILL); nothing the guest had not written reaches the disks. */
    public void crash() {
        vm.crash();
    }

    /** Stops the node if it runs (gracefully), starts it again on the same disks and waits until ready. */
    public void restart() {
        if (state().hasProcess()) {
            shutdown();
        }
        start();
        awaitReady();
    }

    /**
     * A rolling upgrade's step: stops the node if it runs (gracefully, as {@link #shutdown()}: the
     * power button, QEMU killed past the run's bound), boots it on {@code next} with the same data
     * disk, addresses and params, and waits until it is ready (within the run's boot timeout). The
     * node keeps {@code next} for every later start. A node that is down already is just started
     * on {@code next}.
     */
    public void upgrade(ImageManifest next) {
        upgrade(next, ctx.options().bootTimeout());
    }

    /** {@link #upgrade(ImageManifest)}, ready within {@code readyTimeout}. */
    public void upgrade(ImageManifest next, Duration readyTimeout) {
        if (state().hasProcess()) {
            shutdown();
        }
        vm.useImage(next);
        start();
        awaitReady(readyTimeout);
    }

    /**
     * The data disk is lost: the node loses power (if it runs), its data disk is replaced by a
     * blank one of the same size, and it boots again; returns once it is ready. The guest finds
     * a blank disk (the etcd-test image formats it). Cluster snapshots kept in the old disk are
     * gone with it.
     *
     * @throws IllegalStateException the node's image has no data disk
     */
    public void wipeDataDisk() {
        ImageManifest image = image();
        if (image.dataDisk() == null) {
            throw new IllegalStateException(
                    "node " + name() + " has no data disk to wipe (image " + image.name() + " declares none)");
        }
        crash();
        io.vmcluster.qemu.DiskImages.with(ctx.options().timing())
                .blank(dataDiskFile(), image.dataDisk().sizeMiB());
        start();
        awaitReady();
    }

    /** Hard reset ({@code system_reset}): the guest reboots at once; {@link #awaitReady()} waits for it. */
    public void reset() {
        vm.reset();
    }

    /** Freezes every vCPU ({@code stop}); returns once QEMU reported STOP. */
    public void pause() {
        vm.pause();
    }

    /** Unfreezes the vCPUs ({@code cont}); returns once QEMU reported RESUME. */
    public void resume() {
        vm.resume();
    }

    // ---- channels -----------------------------------------------------------------------------

    /** The node's QMP client (valid while QEMU runs; a restart makes a new one). */
    public QmpClient qmp() {
        return vm.qmp();
    }

    /** The root shell on hvc0. */
    public CommandChannel console() {
        return vm.console();
    }

    /** SSH as the image's user with the run's key, through the cluster's namespace. */
    public CommandChannel ssh() {
        return vm.ssh();
    }

    /**
     * Commands through the QEMU guest agent ({@code guest-exec}): works with every NIC cut and
     * without the console, needs qemu-ga in the image.
     */
    public CommandChannel agent() {
        return vm.agent();
    }

    /**
     * The client of the QEMU guest agent (qemu-ga on the {@code org.qemu.guest_agent.0} port)
     * that {@link #agent()} uses, connected on first use; for time, files and raw agent commands.
     */
    public GuestAgentClient guestAgent() {
        return vm.guestAgent();
    }

    /** The guest agent's unix socket, if the image has an agent (for a command channel over it). */
    public Optional<Path> agentSocket() {
        return vm.agentSocket();
    }

    /** The unix socket QEMU serves the node's screen on over VNC, if it has one ({@code display: vnc}). */
    public Optional<Path> vncSocket() {
        return vm.vncSocket();
    }

    /** Where a VNC viewer on this host reaches the node's screen (127.0.0.1 only), if it has one. */
    public Optional<java.net.InetSocketAddress> display() {
        return Optional.ofNullable(display);
    }

    void display(java.net.InetSocketAddress value) {
        this.display = value;
    }

    /** The serial log file (ttyS0, appended across restarts). */
    public Path serialLog() {
        return vm.serial().file();
    }

    /** The last {@code lines} lines of the serial log. */
    public String serialTail(int lines) {
        return vm.serial().tail(lines);
    }

    /** The node's log directory in the results (argv, serial, stderr, QMP events, console). */
    public Path logDir() {
        return vm.logDir();
    }

    /** The QEMU process id, while it runs. */
    public Optional<Long> pid() {
        return vm.pid();
    }

    // ---- commands -----------------------------------------------------------------------------

    /** Runs a command on the console; returns whatever the exit code. */
    public CommandResult exec(String command) {
        return exec(command, DEFAULT_COMMAND_TIMEOUT);
    }

    /** Runs a command on the console within {@code timeout}; it is killed in the guest past it. */
    public CommandResult exec(String command, Duration timeout) {
        return console().run(command, timeout);
    }

    /** Runs a command; a non-zero exit throws with node, command, exit code, stdout and stderr. */
    public CommandResult succeed(String command) {
        return shell().succeed(command);
    }

    /** Runs a command within {@code timeout}; a non-zero exit throws. */
    public CommandResult succeed(String command, Duration timeout) {
        return shell().succeed(command, timeout);
    }

    /** Runs a command that must fail (exit code not 0). */
    public CommandResult fail(String command) {
        return shell().fail(command);
    }

    /** Runs the command until it exits 0, within {@code timeout}. */
    public CommandResult waitUntilSucceeds(String command, Duration timeout) {
        return shell().waitUntilSucceeds(command, timeout);
    }

    /** Runs the command until it exits non-zero, within {@code timeout}. */
    public CommandResult waitUntilFails(String command, Duration timeout) {
        return shell().waitUntilFails(command, timeout);
    }

    /** Waits until something in the guest listens on TCP {@code port}. */
    public void waitForPort(int port, Duration timeout) {
        shell().waitForPort(port, timeout);
    }

    /** Waits until something in the guest listens on TCP {@code port}, within a minute. */
    public void waitForPort(int port) {
        waitForPort(port, DEFAULT_COMMAND_TIMEOUT);
    }

    /**
     * Waits until the image's service {@code name} runs (its status command exits 0) and, for a
     * TCP service, listens on its port.
     */
    public void waitForService(String name, Duration timeout) {
        ImageManifest image = image();
        ImageManifest.Service service = image.service(name);
        if (image.serviceControl() != null && image.serviceControl().status() != null) {
            waitUntilSucceeds(serviceCommand(image.serviceControl().status(), name), timeout);
        }
        if ("tcp".equalsIgnoreCase(service.protocol())) {
            waitForPort(service.port(), timeout);
        }
    }

    /** {@link #waitForService(String, Duration)} within a minute. */
    public void waitForService(String name) {
        waitForService(name, DEFAULT_COMMAND_TIMEOUT);
    }

    /** Starts a service of the image ({@code serviceControl.start}). */
    public CommandResult startService(String name) {
        return startService(name, DEFAULT_COMMAND_TIMEOUT);
    }

    /** Starts a service of the image within {@code timeout}; the command is killed in the guest past it. */
    public CommandResult startService(String name, Duration timeout) {
        image().service(name);
        return succeed(serviceCommand(control().start(), name), timeout);
    }

    /** Stops a service of the image ({@code serviceControl.stop}); its supervisor leaves it stopped. */
    public CommandResult stopService(String name) {
        return stopService(name, DEFAULT_COMMAND_TIMEOUT);
    }

    /** Stops a service of the image within {@code timeout}; the command is killed in the guest past it. */
    public CommandResult stopService(String name, Duration timeout) {
        image().service(name);
        return succeed(serviceCommand(control().stop(), name), timeout);
    }

    /** Copies a host file into the guest. */
    public void copyIn(Path local, String guestPath) {
        shell().copyIn(local, guestPath);
    }

    /** Copies a guest file to the host. */
    public void copyOut(String guestPath, Path local) {
        shell().copyOut(guestPath, local);
    }

    /**
     * Copies the end of each service log the image names ({@code serviceLogs} in image.json) into
     * {@code dir}, one {@code SERVICE.log} each, with one command on the console; see {@link
     * ServiceLogs} for the bounds.
     */
    public List<ServiceLogs.Copied> copyServiceLogs(Path dir) {
        return ServiceLogs.copy(this, dir);
    }

    /** The test vocabulary over the console channel. */
    public Shell shell() {
        return Shell.on(console(), ctx.options().timing());
    }

    /** The test vocabulary over the guest agent. */
    public Shell agentShell() {
        return Shell.on(agent(), ctx.options().timing());
    }

    /** The test vocabulary over SSH. */
    public Shell sshShell() {
        return Shell.on(ssh(), ctx.options().timing());
    }

    private ImageManifest.ServiceControl control() {
        ImageManifest image = image();
        if (image.serviceControl() == null) {
            throw new IllegalStateException("image " + image.name() + " declares no serviceControl");
        }
        return image.serviceControl();
    }

    private static String serviceCommand(String template, String service) {
        return template.replace("{service}", ShellQuote.quote(service));
    }

    // ---- used by Cluster ----------------------------------------------------------------------

    /** Stops QEMU quickly for cluster close: {@code quit}, then SIGKILL; closes the channels. */
    void close() {
        vm.close();
    }

    SerialLog serial() {
        return vm.serial();
    }

    /** A warm start: QEMU paused under {@code accel}, waiting for a saved state, on an overlay of {@code baseDisk}. */
    void startIncoming(Accelerator accel, Path baseDisk) throws java.io.IOException {
        vm.startIncoming(accel, baseDisk);
    }

    /** A warm start: loads the saved state {@code vmstate} into the waiting QEMU (it stays paused). */
    void loadIncoming(Path vmstate, Duration bound) {
        vm.loadIncoming(vmstate, bound);
    }

    /** A warm start is done: the node is READY. */
    void warmReady() {
        vm.warmReady();
    }

    /** Deletes the data disk (the next start makes a blank one); only while QEMU does not run. */
    void dropDataDisk() {
        vm.dropDataDisk();
    }

    /** The QEMU command line of this node under {@code accel} (a warm start's key is made from it). */
    QemuCommandLine commandLine(Accelerator accel) {
        return vm.commandLine(accel);
    }

    Map<String, String> kernelParams() {
        return vm.kernelParams();
    }

    @Override
    public String toString() {
        return "Node[" + name() + ", " + state() + "]";
    }
}
