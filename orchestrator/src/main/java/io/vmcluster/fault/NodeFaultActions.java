package io.vmcluster.fault;

import io.vmcluster.command.CommandResult;
import io.vmcluster.qmp.IoThrottle;
import io.vmcluster.qmp.QmpCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How each single-node fault is applied; every method applies and returns the undo. */
final class NodeFaultActions {
    /** The bound of a guest command a fault runs when the caller names none. */
    static final Duration SHELL_TIMEOUT = Duration.ofSeconds(30);
    /** How far a guest clock may be from where it was set, read back over the shell. */
    static final Duration CLOCK_TOLERANCE = Duration.ofSeconds(3);

    private NodeFaultActions() {}

    static FaultHandle.Undo cutNic(FaultTarget node, List<NodeNic> nics) {
        List<NodeNic> done = new ArrayList<>();
        try {
            for (NodeNic nic : nics) {
                setLink(node, nic, false);
                done.add(nic);
            }
        } catch (RuntimeException e) {
            done.forEach(nic -> setLink(node, nic, true));
            throw e;
        }
        return () -> nics.forEach(nic -> setLink(node, nic, true));
    }

    private static void setLink(FaultTarget node, NodeNic nic, boolean up) {
        node.qmp().execute(QmpCommand.setLink(nic.nicId(), up));
    }

    static FaultHandle.Undo capture(FaultTarget node, NodeNic nic, String objectId, String file, int maxlen) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("netdev", nic.netdevId());
        properties.put("file", file);
        if (maxlen > 0) {
            properties.put("maxlen", maxlen);
        }
        node.qmp().execute(QmpCommand.objectAdd("filter-dump", objectId, properties));
        return () -> node.qmp().execute(QmpCommand.objectDel(objectId));
    }

    static FaultHandle.Undo slowDisk(FaultTarget node, IoThrottle limits) {
        DataDisk disk = dataDisk(node, FaultKind.SLOW_DISK);
        node.qmp().execute(QmpCommand.blockSetIoThrottle(disk.deviceId(), limits));
        return () -> node.qmp().execute(QmpCommand.blockSetIoThrottle(disk.deviceId(), IoThrottle.UNLIMITED));
    }

    /**
     * Inserts a blkdebug node between the data disk's raw node (the device's) and its qcow2 node,
     * failing the requests {@code errors} names with EIO, by {@code blockdev-reopen} of the raw node
     * onto it; the undo reopens the raw node onto the qcow2 node again and deletes the blkdebug
     * node. Above qcow2 the errors hit only the guest's requests: qcow2's own metadata I/O and
     * the flush of the undo's reopen go straight to the file, so the fault can always be undone
     * (blkdebug under qcow2 made the reopen fail its flush once writes failed). The blkdebug node
     * is added read-only and made writable in the same reopen transaction, so no two writers ever
     * hold the qcow2 node.
     */
    static FaultHandle.Undo diskErrors(FaultTarget node, String blkdebugNode, DiskErrors errors) {
        DataDisk disk = dataDisk(node, FaultKind.DISK_ERRORS);
        Map<String, Object> add = new LinkedHashMap<>();
        add.put("driver", "blkdebug");
        add.put("node-name", blkdebugNode);
        add.put("image", disk.imageNode());
        add.put("read-only", true);
        add.put("inject-error", errors.blkdebugRules());
        node.qmp().execute(QmpCommand.blockdevAdd(add));
        try {
            Map<String, Object> writable = new LinkedHashMap<>(add);
            writable.put("read-only", false);
            node.qmp().execute(QmpCommand.blockdevReopen(List.of(writable, raw(disk, blkdebugNode))));
        } catch (RuntimeException e) {
            node.qmp().execute(QmpCommand.blockdevDel(blkdebugNode));
            throw e;
        }
        return () -> {
            node.qmp().execute(QmpCommand.blockdevReopen(List.of(raw(disk, disk.imageNode()))));
            node.qmp().execute(QmpCommand.blockdevDel(blkdebugNode));
        };
    }

    private static Map<String, Object> raw(DataDisk disk, String file) {
        return Map.of("driver", "raw", "node-name", disk.rawNode(), "file", file);
    }

    /**
     * Sets the guest clock to true time plus {@code offset} (over the shell: {@code date -s}),
     * reads it back, and returns the undo that sets it to true time again.
     */
    static FaultHandle.Undo skewClock(FaultTarget node, Duration offset, Duration timeout) {
        setClock(node, offset, timeout);
        return () -> setClock(node, Duration.ZERO, timeout);
    }

    private static void setClock(FaultTarget node, Duration offset, Duration timeout) {
        long want = Instant.now().plus(offset).getEpochSecond();
        CommandResult r = node.exec("date -u -s @" + want + " >/dev/null && date -u +%s", timeout);
        if (!r.succeeded()) {
            throw new FaultException(FaultKind.CLOCK_SKEW, node.name(), "date -s failed (" + r.evidence() + ")");
        }
        long seen;
        try {
            seen = Long.parseLong(r.stdoutText().strip());
        } catch (NumberFormatException e) {
            throw new FaultException(
                    FaultKind.CLOCK_SKEW, node.name(), "date +%s printed no number (" + r.evidence() + ")");
        }
        if (Math.abs(seen - want) > CLOCK_TOLERANCE.toSeconds()) {
            throw new FaultException(
                    FaultKind.CLOCK_SKEW, node.name(), "guest clock reads " + seen + " after setting it to " + want);
        }
    }

    /** SIGKILLs every process called {@code name}, with one guest command bounded by {@code timeout}; returns their pids. */
    static List<Long> killProcess(FaultTarget node, String name, Duration timeout) {
        CommandResult r = node.exec(KillCommand.of(name), timeout);
        if (!r.succeeded()) {
            throw new FaultException(
                    FaultKind.KILL_PROCESS, node.name(), "could not kill " + name + " (" + r.evidence() + ")");
        }
        List<Long> pids = new ArrayList<>();
        for (String p : r.stdoutText().strip().split("\\s+")) {
            pids.add(Long.parseLong(p));
        }
        return pids;
    }

    private static DataDisk dataDisk(FaultTarget node, FaultKind kind) {
        return node.dataDisk()
                .orElseThrow(() -> new FaultException(kind, node.name(), "node " + node.name() + " has no data disk"));
    }
}
