package io.vmcluster.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Typed helpers for the QMP commands vmcluster uses; each is one {@link QmpClient#execute} with
 * the client's default timeout. Obtain through {@link QmpClient#commands()}.
 */
public final class QmpCommands {
    private final QmpClient client;

    QmpCommands(QmpClient client) {
        this.client = client;
    }

    private CompletableFuture<JsonNode> run(String command, ObjectNode arguments) {
        return client.execute(command, arguments);
    }

    private static CompletableFuture<Void> done(CompletableFuture<JsonNode> reply) {
        return reply.thenApply(r -> null);
    }

    private ObjectNode args() {
        return client.arguments();
    }

    /** {@code query-status}: the run state. */
    public CompletableFuture<VmStatus> queryStatus() {
        return run("query-status", null)
                .thenApply(r -> new VmStatus(
                        r.path("status").asText(), r.path("running").asBoolean()));
    }

    /** {@code query-version}. */
    public CompletableFuture<QmpVersion> queryVersion() {
        return run("query-version", null).thenApply(r -> {
            JsonNode qemu = r.path("qemu");
            return new QmpVersion(
                    qemu.path("major").asInt(),
                    qemu.path("minor").asInt(),
                    qemu.path("micro").asInt(),
                    r.path("package").asText(""));
        });
    }

    /** {@code stop}: freezes all vCPUs. QEMU emits STOP before this completes. */
    public CompletableFuture<Void> stop() {
        return done(run("stop", null));
    }

    /** {@code cont}: resumes the vCPUs. QEMU emits RESUME. */
    public CompletableFuture<Void> cont() {
        return done(run("cont", null));
    }

    /** {@code system_reset}: a hard reset; QEMU emits RESET. */
    public CompletableFuture<Void> systemReset() {
        return done(run("system_reset", null));
    }

    /** {@code system_powerdown}: presses the ACPI power button (POWERDOWN; SHUTDOWN if the guest obeys). */
    public CompletableFuture<Void> systemPowerdown() {
        return done(run("system_powerdown", null));
    }

    /**
     * {@code quit}: QEMU emits SHUTDOWN and exits. Completes on the reply or when the socket closes
     * right after (which is how QEMU 7.2 usually ends it); {@link QmpClient#closeFuture()} then
     * completes too.
     */
    public CompletableFuture<Void> quit() {
        return done(run("quit", null));
    }

    /** {@code set_link}: connects or pulls the virtual cable of a NIC (by NIC id or netdev id). */
    public CompletableFuture<Void> setLink(String name, boolean up) {
        return done(client.execute(QmpCommand.setLink(name, up)));
    }

    /**
     * {@code human-monitor-command}: runs an HMP command line and returns its text output. HMP
     * reports failures as a successful reply whose text says "Error: …"; this fails the future
     * with a {@link QmpCommandException} of class {@link QmpError#HUMAN_MONITOR_ERROR} instead.
     */
    public CompletableFuture<String> humanMonitorCommand(String commandLine) {
        return humanMonitorCommand(commandLine, client.options().defaultTimeout());
    }

    /** {@link #humanMonitorCommand(String)} with its own timeout. */
    public CompletableFuture<String> humanMonitorCommand(String commandLine, Duration timeout) {
        ObjectNode a = args().put("command-line", Objects.requireNonNull(commandLine, "commandLine"));
        return client.execute("human-monitor-command", a, timeout).thenApply(r -> {
            String output = r.asText("");
            String trimmed = output.strip();
            if (trimmed.startsWith("Error:") || trimmed.contains("\nError:")) {
                throw new QmpCommandException(
                        new QmpError(QmpError.HUMAN_MONITOR_ERROR, trimmed, "human-monitor-command", a));
            }
            return output;
        });
    }

    /** {@code query-block}: the block devices, as QEMU describes them. */
    public CompletableFuture<JsonNode> queryBlock() {
        return run("query-block", null);
    }

    /** {@code block_set_io_throttle}: see {@link QmpCommand#blockSetIoThrottle}. */
    public CompletableFuture<Void> blockSetIoThrottle(String deviceId, IoThrottle limits) {
        return done(client.execute(QmpCommand.blockSetIoThrottle(deviceId, limits)));
    }

    /** {@code object-add} of a QOM object (e.g. a {@code filter-dump}); {@code properties} may be null. */
    public CompletableFuture<Void> objectAdd(String qomType, String id, ObjectNode properties) {
        ObjectNode a = properties == null ? args() : properties.deepCopy();
        a.put("qom-type", qomType).put("id", id);
        return done(run("object-add", a));
    }

    /** {@code object-del}. */
    public CompletableFuture<Void> objectDel(String id) {
        return done(client.execute(QmpCommand.objectDel(id)));
    }

    /** {@code netdev_add} of a backend of {@code type} (e.g. "user", "tap"); {@code properties} may be null. */
    public CompletableFuture<Void> netdevAdd(String type, String id, ObjectNode properties) {
        ObjectNode a = properties == null ? args() : properties.deepCopy();
        a.put("type", type).put("id", id);
        return done(run("netdev_add", a));
    }

    /** {@code netdev_del}. */
    public CompletableFuture<Void> netdevDel(String id) {
        return done(run("netdev_del", args().put("id", id)));
    }

    /** {@code device_add} of a {@code driver} with qdev id {@code id}; {@code properties} may be null. */
    public CompletableFuture<Void> deviceAdd(String driver, String id, ObjectNode properties) {
        ObjectNode a = properties == null ? args() : properties.deepCopy();
        a.put("driver", driver).put("id", id);
        return done(run("device_add", a));
    }

    /**
     * {@code device_del}: only asks for removal (it returns at once); see {@link
     * #deviceDelAndAwait(String, Duration)} to wait until the device is gone.
     */
    public CompletableFuture<Void> deviceDel(String id) {
        return done(run("device_del", args().put("id", id)));
    }

    /**
     * {@code device_del}, completing when QEMU reports DEVICE_DELETED for {@code id} (which may need
     * the guest's cooperation), failing after {@code timeout}.
     */
    public CompletableFuture<QmpEvent> deviceDelAndAwait(String id, Duration timeout) {
        CompletableFuture<QmpEvent> deleted = client.awaitEvent(
                e -> e.is(QmpEventType.DEVICE_DELETED) && id.equals(e.dataText("device")),
                "DEVICE_DELETED for " + id,
                timeout);
        return deviceDel(id).thenCompose(r -> deleted).whenComplete((r, t) -> {
            if (t != null) {
                deleted.cancel(false);
            }
        });
    }

    /**
     * {@code getfd}: hands QEMU a copy of the open descriptor {@code fd} under {@code fdName}
     * (attached by SCM_RIGHTS to the command's own bytes). The caller still owns {@code fd}.
     */
    public CompletableFuture<Void> getfd(String fdName, int fd) {
        ObjectNode a = args().put("fdname", Objects.requireNonNull(fdName, "fdName"));
        return done(client.executeWithFileDescriptor(
                "getfd", a, fd, client.options().defaultTimeout()));
    }

    /**
     * {@code savevm TAG} through the human monitor: saves the VM state and a snapshot of every
     * writable disk (all must be qcow2). The reply comes when the snapshot is complete; the vCPUs
     * are stopped meanwhile (STOP … RESUME events).
     */
    public CompletableFuture<Void> savevm(String tag, Duration timeout) {
        return humanMonitorCommand("savevm " + snapshotTag(tag), timeout).thenApply(r -> null);
    }

    /**
     * {@code loadvm TAG} through the human monitor: restores VM state and disks. QEMU 7.2 stops the
     * VM first and resumes it only on success: after a failed {@code loadvm}
     * the VM stays stopped in state "restore-vm" until {@code cont}.
     */
    public CompletableFuture<Void> loadvm(String tag, Duration timeout) {
        return humanMonitorCommand("loadvm " + snapshotTag(tag), timeout).thenApply(r -> null);
    }

    /** {@code delvm TAG} through the human monitor: deletes the snapshot from every disk. */
    public CompletableFuture<Void> delvm(String tag, Duration timeout) {
        return humanMonitorCommand("delvm " + snapshotTag(tag), timeout).thenApply(r -> null);
    }

    private static String snapshotTag(String tag) {
        if (tag == null || !tag.matches("[A-Za-z][A-Za-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException("snapshot tag must be a letter followed by up to 63 of [A-Za-z0-9_.-] "
                    + "(it goes on an HMP command line, and an all-digit tag would be read as a snapshot id): " + tag);
        }
        return tag;
    }

    /** {@code closefd}: QEMU closes the descriptor it holds under {@code fdName}. */
    public CompletableFuture<Void> closefd(String fdName) {
        return done(run("closefd", args().put("fdname", fdName)));
    }
}
