package io.vmcluster.cluster;

import io.vmcluster.events.EventKind;
import io.vmcluster.events.EventSink;
import io.vmcluster.qemu.DiskImages;
import io.vmcluster.qmp.QmpCommand;
import io.vmcluster.resource.Closer;
import io.vmcluster.time.Timing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Backups of node data disks, taken while the nodes run, and restores from them.
 *
 * <p>Backup: every node named runs {@code sync} (its page cache reaches the disk), gets a blank
 * qcow2 target of its disk's size ({@code qemu-img create}, {@code blockdev-add}); then all are
 * frozen together ({@code stop}), each starts a {@code blockdev-backup} job ({@code sync: full})
 * from its data disk's qcow2 node to the target, and all resume. The copy is of the disk as it was
 * when the job started (QEMU's copy-before-write filter copies a block the guest is about to
 * overwrite first), so the nodes are cut at one moment although the copy runs on with the guests
 * running; then each job is waited for, dismissed, and its target node deleted.
 *
 * <p>Restore: every node named is powered off (QEMU killed: its disk is replaced, nothing is worth
 * flushing), the backup's blocks are written over its data disk ({@code qemu-img convert -n}: the
 * file stays, and the cluster snapshots inside it), and it boots and waits until ready.
 */
final class ClusterBackups {
    /** Bound of each QMP wait of a backup job (the copy of a 512 MiB disk takes seconds). */
    private static final Duration JOB = Duration.ofSeconds(300);

    private static final Duration SYNC = Duration.ofSeconds(60);

    /** Runs an action on some nodes in parallel; the first failure is thrown after all ended. */
    interface Parallel {
        void on(List<Node> nodes, Consumer<Node> action);
    }

    private final String cluster;
    private final Path dir;
    private final EventSink events;
    private final Timing timing;
    private final Map<String, Backup> taken = new ConcurrentHashMap<>();
    private final AtomicInteger seq = new AtomicInteger();

    /**
     * @param dir where the backups are kept, one directory per name (in the run's temporary
     *     directory: removed when the cluster closes)
     */
    ClusterBackups(String cluster, Path dir, EventSink events, Timing timing) {
        this.cluster = cluster;
        this.dir = dir;
        this.events = events;
        this.timing = timing;
    }

    /** The backups taken so far, by name. */
    Map<String, Backup> taken() {
        return Map.copyOf(taken);
    }

    Backup backup(BackupName name, List<Node> which, Parallel parallel) {
        if (which.isEmpty()) {
            throw new IllegalArgumentException("a backup needs at least one node");
        }
        for (Node n : which) {
            if (n.image().dataDisk() == null) {
                throw new IllegalArgumentException("node " + n.name() + " has no data disk to back up (image "
                        + n.image().name() + " declares none)");
            }
            if (n.state() != NodeState.READY) {
                throw new IllegalStateException(
                        "node " + n.name() + " is " + n.state() + ": a backup is taken of running nodes (READY)");
            }
        }
        long t0 = System.nanoTime();
        Path where = dir.resolve(name.value());
        Backup old = taken.remove(name.value());
        if (old != null) {
            old.files().values().forEach(ClusterBackups::delete);
        }
        int id = seq.incrementAndGet();
        String target = "vmc-backup" + id; // QEMU's node names are at most 31 characters
        String jobId = "vmc-backup-" + id;
        Map<String, Path> files = new LinkedHashMap<>();
        which.forEach(n -> files.put(n.name(), where.resolve(n.name() + ".qcow2")));
        parallel.on(which, n -> n.succeed("sync", SYNC));
        long t1 = System.nanoTime();
        Set<String> added = ConcurrentHashMap.newKeySet();
        Set<String> paused = ConcurrentHashMap.newKeySet();
        Map<String, QmpJob> jobs = new ConcurrentHashMap<>();
        Map<String, Long> bytes = new ConcurrentSkipListMap<>();
        long t2;
        long t3;
        Closer cleanup = new Closer();
        try {
            parallel.on(which, n -> {
                Path file = files.get(n.name());
                DiskImages.with(timing).blank(file, n.image().dataDisk().sizeMiB());
                qmp(n, QmpCommand.blockdevAdd(target(target, file)), "blockdev-add of the backup target " + file);
                added.add(n.name());
            });
            t2 = System.nanoTime();
            try {
                parallel.on(which, n -> {
                    n.pause();
                    paused.add(n.name());
                });
                parallel.on(
                        which,
                        n -> jobs.put(
                                n.name(),
                                QmpJob.start(
                                        n,
                                        jobId,
                                        QmpCommand.blockdevBackup(jobId, n.dataDiskImageNode(), target),
                                        timing.scale(JOB),
                                        BackupException::new)));
            } finally {
                parallel.on(
                        which.stream().filter(n -> paused.contains(n.name())).toList(), Node::resume);
            }
            t3 = System.nanoTime();
            parallel.on(which, n -> {
                QmpJob job = jobs.get(n.name());
                if (job == null) return;
                String error = job.finish();
                if (error != null) {
                    throw new BackupException(n.name() + ": blockdev-backup of disk node " + n.dataDiskImageNode()
                            + " to " + files.get(n.name()) + " failed: " + error);
                }
            });
        } finally {
            for (Node n : which) {
                if (added.contains(n.name())) {
                    cleanup.run(() -> qmp(n, QmpCommand.blockdevDel(target), "blockdev-del of the backup target"));
                }
            }
        }
        cleanup.throwIfFailed();
        long t4 = System.nanoTime();
        files.forEach((node, file) -> bytes.put(node, size(file)));
        Backup b = new Backup(name, files, Instant.now(), Duration.ofNanos(t3 - t2), Duration.ofNanos(t4 - t0));
        taken.put(name.value(), b);
        Map<String, Object> f = fields(name, which);
        f.put("sync_ms", ms(t1 - t0));
        f.put("prepare_ms", ms(t2 - t1));
        f.put("freeze_ms", ms(t3 - t2));
        f.put("copy_ms", ms(t4 - t3));
        f.put("total_ms", ms(t4 - t0));
        f.put("bytes", bytes);
        events.record(EventKind.CLUSTER_BACKUP, null, f);
        return b;
    }

    /**
     * The backup {@code name}, which must hold every node of {@code which}; else an
     * {@link IllegalArgumentException} saying what was taken.
     */
    Backup check(BackupName name, List<Node> which) {
        Backup b = taken.get(name.value());
        if (b == null) {
            throw new IllegalArgumentException("no backup '" + name + "' on cluster " + cluster + "; taken: "
                    + (taken.isEmpty() ? "none" : String.join(", ", new TreeSet<>(taken.keySet()))));
        }
        for (Node n : which) {
            if (!b.files().containsKey(n.name())) {
                throw new IllegalArgumentException(
                        "backup '" + name + "' holds no copy of node " + n.name() + "; it holds " + b.nodes());
            }
        }
        return b;
    }

    /** Restores {@code which} from the backup: powered off, disk written over, booted until ready. */
    Duration restore(BackupName name, List<Node> which, Parallel parallel) {
        Backup b = check(name, which);
        long t0 = System.nanoTime();
        parallel.on(which, Node::crash);
        long t1 = System.nanoTime();
        parallel.on(which, n -> {
            DiskImages disks = DiskImages.with(timing);
            Path disk = n.dataDiskFile();
            if (!Files.exists(disk)) {
                disks.blank(disk, n.image().dataDisk().sizeMiB());
            }
            disks.copyContents(b.files().get(n.name()), disk);
        });
        long t2 = System.nanoTime();
        parallel.on(which, n -> {
            n.start();
            n.awaitReady();
        });
        long t3 = System.nanoTime();
        Map<String, Object> f = fields(name, which);
        f.put("stop_ms", ms(t1 - t0));
        f.put("write_ms", ms(t2 - t1));
        f.put("boot_ms", ms(t3 - t2));
        f.put("total_ms", ms(t3 - t0));
        events.record(EventKind.CLUSTER_BACKUP_RESTORE, null, f);
        return Duration.ofNanos(t3 - t0);
    }

    private Map<String, Object> fields(BackupName name, List<Node> which) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("cluster", cluster);
        f.put("name", name.value());
        f.put("nodes", which.stream().map(Node::name).toList());
        return f;
    }

    /** The blockdev-add options of a qcow2 target node on {@code file}. */
    static Map<String, Object> target(String nodeName, Path file) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("driver", "qcow2");
        o.put("node-name", nodeName);
        o.put("file", Map.of("driver", "file", "filename", file.toAbsolutePath().toString()));
        return o;
    }

    private void qmp(Node n, QmpCommand command, String what) {
        try {
            n.qmp().execute(command).get(timing.scale(JOB).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new BackupException(
                    n.name() + ": " + what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new BackupException(n.name() + ": " + what + " got no reply within " + timing.scale(JOB), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupException(n.name() + ": interrupted during " + what, e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // replaced below by a new blank file of the same name
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
