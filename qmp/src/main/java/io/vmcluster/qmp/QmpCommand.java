package io.vmcluster.qmp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One QMP command as a value: its name and its arguments, in the order QEMU's schema lists them.
 * The factories are the one place each command's argument shape is written; {@link QmpCommands}
 * sends them through a client, and code that only holds a narrow "send this" port (the fault
 * layer) builds them here too. Arguments are plain maps, lists, strings, numbers and booleans, so
 * the value prints readably and converts to JSON as is.
 *
 * @param name the command, e.g. {@code set_link}
 * @param arguments its arguments (empty for none); unmodifiable, insertion-ordered
 */
public record QmpCommand(String name, Map<String, Object> arguments) {
    public QmpCommand {
        Objects.requireNonNull(name, "name");
        arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments == null ? Map.of() : arguments));
    }

    /** A command with these arguments; for commands without a factory here (e.g. {@code qom-list}). */
    public static QmpCommand of(String name, Map<String, Object> arguments) {
        return new QmpCommand(name, arguments);
    }

    /** {@code set_link}: connects or pulls the virtual cable of a NIC (by NIC id or netdev id). */
    public static QmpCommand setLink(String name, boolean up) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("name", Objects.requireNonNull(name, "name"));
        a.put("up", up);
        return new QmpCommand("set_link", a);
    }

    /**
     * {@code block_set_io_throttle} on a guest disk, named by qdev id or QOM path. For a
     * {@code virtio-blk-pci} with id ID, QEMU 7.2 wants {@code /machine/peripheral/ID/virtio-backend}
     * (the id alone fails with "Device does not have a block device backend"). The burst limits are
     * sent only when set.
     */
    public static QmpCommand blockSetIoThrottle(String deviceId, IoThrottle limits) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("id", Objects.requireNonNull(deviceId, "deviceId"));
        a.put("bps", limits.bps());
        a.put("bps_rd", limits.bpsRead());
        a.put("bps_wr", limits.bpsWrite());
        a.put("iops", limits.iops());
        a.put("iops_rd", limits.iopsRead());
        a.put("iops_wr", limits.iopsWrite());
        if (limits.bpsMax() > 0) {
            a.put("bps_max", limits.bpsMax());
        }
        if (limits.iopsMax() > 0) {
            a.put("iops_max", limits.iopsMax());
        }
        return new QmpCommand("block_set_io_throttle", a);
    }

    /** {@code object-add} of a QOM object of {@code qomType} (e.g. {@code filter-dump}) with its properties. */
    public static QmpCommand objectAdd(String qomType, String id, Map<String, Object> properties) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("qom-type", Objects.requireNonNull(qomType, "qomType"));
        a.put("id", Objects.requireNonNull(id, "id"));
        a.putAll(properties);
        return new QmpCommand("object-add", a);
    }

    /** {@code object-del}. */
    public static QmpCommand objectDel(String id) {
        return new QmpCommand("object-del", Map.of("id", Objects.requireNonNull(id, "id")));
    }

    /** {@code blockdev-add} of one block node; {@code options} are the node's (driver, node-name, …). */
    public static QmpCommand blockdevAdd(Map<String, Object> options) {
        if (!options.containsKey("driver") || !options.containsKey("node-name")) {
            throw new IllegalArgumentException("blockdev-add needs a driver and a node-name: " + options);
        }
        return new QmpCommand("blockdev-add", options);
    }

    /** {@code blockdev-reopen}: reopens the given nodes with these options, as one transaction. */
    public static QmpCommand blockdevReopen(List<Map<String, Object>> options) {
        return new QmpCommand("blockdev-reopen", Map.of("options", List.copyOf(options)));
    }

    /** {@code blockdev-del} of a node added with {@code blockdev-add}. */
    public static QmpCommand blockdevDel(String nodeName) {
        return new QmpCommand("blockdev-del", Map.of("node-name", Objects.requireNonNull(nodeName, "nodeName")));
    }

    /**
     * {@code blockdev-backup} with {@code sync: full} and {@code auto-dismiss: false}: copies every
     * block of node {@code device} into node {@code target} (of the same size) as it was when the
     * command returned; a copy-before-write filter keeps the guest's later writes out of the copy.
     * The job ends {@code concluded} (JOB_STATUS_CHANGE); its error is in {@code query-jobs} until
     * {@link #jobDismiss}.
     */
    public static QmpCommand blockdevBackup(String jobId, String device, String target) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("job-id", Objects.requireNonNull(jobId, "jobId"));
        a.put("device", Objects.requireNonNull(device, "device"));
        a.put("target", Objects.requireNonNull(target, "target"));
        a.put("sync", "full");
        a.put("auto-dismiss", false);
        return new QmpCommand("blockdev-backup", a);
    }

    /** {@code query-jobs}: every job QEMU holds, with its status and error. */
    public static QmpCommand queryJobs() {
        return new QmpCommand("query-jobs", Map.of());
    }

    /** {@code job-dismiss} of a concluded job. */
    public static QmpCommand jobDismiss(String id) {
        return new QmpCommand("job-dismiss", Map.of("id", Objects.requireNonNull(id, "id")));
    }

    @Override
    public String toString() {
        return name + " " + arguments;
    }
}
