package io.vmcluster.warm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Formed clusters kept across runs (docs/snapshots.md, "Warm start across runs"), one directory
 * per {@link WarmKey}:
 *
 * <pre>
 * ${XDG_CACHE_HOME:-~/.cache}/vmcluster/warm/
 *     &lt;id&gt;/manifest.json        what it holds, the key's material (written last)
 *     &lt;id&gt;/&lt;node&gt;/vmstate         the node's RAM and device state (a QEMU migration stream)
 *     &lt;id&gt;/&lt;node&gt;/disk.qcow2      its data disk at the same instant (a run's overlay is backed by it)
 *     &lt;id&gt;.lock                  shared by every run using the entry, exclusive to its writer or pruner
 * </pre>
 *
 * <p>An entry is written in a temporary directory next to it and renamed into place, so there is
 * never a half-written entry; it is never changed afterwards. Nobody waits for a lock: a run that
 * finds no entry, or cannot share its lock, boots; a run that cannot take the lock exclusively does
 * not write (another run writes or uses it). After every write, entries not used for {@link
 * Limits#maxUnused()} are deleted, then the least recently used until the cache is within {@link
 * Limits#maxBytes()}; an entry in use is never deleted.
 */
public final class WarmCache {
    private static final Logger LOG = LoggerFactory.getLogger(WarmCache.class);
    static final String MANIFEST = "manifest.json";
    private static final String TEMP_PREFIX = ".tmp-";
    private static final String DELETE_PREFIX = ".del-";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The environment variable that bounds the cache, in MiB. */
    public static final String MAX_MIB_ENV = "VMC_WARM_CACHE_MIB";

    /**
     * How big the cache may grow and how long an unused entry stays.
     *
     * @param maxBytes the sum of the entries' files (default 4 GiB: about six 3-node clusters of 512 MiB)
     * @param maxUnused an entry no run used for this long is deleted (default 7 days, as images)
     */
    public record Limits(long maxBytes, Duration maxUnused) {
        public static final Limits DEFAULT = new Limits(4L << 30, Duration.ofDays(7));

        public Limits {
            if (maxBytes < 0 || maxUnused.isNegative()) {
                throw new IllegalArgumentException("cache limits must not be negative: " + maxBytes + ", " + maxUnused);
            }
        }

        /** The default, with {@code maxMib} (the value of {@value #MAX_MIB_ENV}, if set) as the size. */
        static Limits from(String maxMib) {
            if (maxMib == null || maxMib.isBlank()) {
                return DEFAULT;
            }
            try {
                long mib = Long.parseLong(maxMib.strip());
                if (mib >= 0) {
                    return new Limits(mib << 20, DEFAULT.maxUnused());
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new IllegalArgumentException(MAX_MIB_ENV + "='" + maxMib
                    + "' is not a size in MiB (a whole number, 0 or more; 0 keeps nothing)");
        }
    }

    /** The files of one node in an entry. */
    public record NodeFiles(Path vmstate, Path disk) {
        static NodeFiles in(Path entryDir, String node) {
            Path d = entryDir.resolve(node);
            return new NodeFiles(d.resolve("vmstate"), d.resolve("disk.qcow2"));
        }
    }

    private final Path root;
    private final Limits limits;
    private final Clock clock;

    public WarmCache(Path root, Limits limits) {
        this(root, limits, Clock.systemUTC());
    }

    WarmCache(Path root, Limits limits, Clock clock) {
        this.root = root;
        this.limits = limits;
        this.clock = clock;
    }

    /** {@code ${XDG_CACHE_HOME:-~/.cache}/vmcluster/warm}, bounded by {@value #MAX_MIB_ENV} (else 4 GiB). */
    public static WarmCache standard() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return new WarmCache(cache.resolve("vmcluster").resolve("warm"), Limits.from(System.getenv(MAX_MIB_ENV)));
    }

    public Path root() {
        return root;
    }

    public Limits limits() {
        return limits;
    }

    /**
     * The entry of {@code key}, held (shared) until the lease is closed, and marked as used now;
     * empty when there is none, it is not complete or of another format, or its writer or pruner
     * holds it.
     */
    public Optional<Lease> use(WarmKey key) {
        Path dir = root.resolve(key.id());
        if (!Files.isRegularFile(dir.resolve(MANIFEST))) {
            return Optional.empty();
        }
        Optional<EntryLock> lock = EntryLock.shared(lockFile(key.id()));
        if (lock.isEmpty()) {
            return Optional.empty();
        }
        try {
            WarmManifest m = readManifest(dir);
            if (m.format() != WarmManifest.FORMAT
                    || !m.id().equals(key.id())
                    || !m.material().equals(key.material())) {
                lock.get().close();
                return Optional.empty();
            }
            for (String node : m.nodes()) {
                NodeFiles f = NodeFiles.in(dir, node);
                if (!Files.isRegularFile(f.vmstate()) || !Files.isRegularFile(f.disk())) {
                    lock.get().close();
                    return Optional.empty();
                }
            }
            Files.setLastModifiedTime(dir.resolve(MANIFEST), FileTime.from(clock.instant()));
            return Optional.of(new Lease(dir, m, lock.get()));
        } catch (IOException | RuntimeException e) {
            lock.get().close();
            LOG.debug("warm cache entry {} is not readable", dir, e);
            return Optional.empty();
        }
    }

    /**
     * Begins writing the entry of {@code key} in a temporary directory: empty when the entry is
     * there already or another run holds it (writes or uses it). {@link Writing#publish} puts it
     * in place; closing it unpublished deletes what was written.
     */
    public Optional<Writing> write(WarmKey key, String cluster, String snapshot) {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the warm cache " + root + ": " + e.getMessage(), e);
        }
        Optional<EntryLock> lock = EntryLock.exclusive(lockFile(key.id()));
        if (lock.isEmpty()) {
            return Optional.empty();
        }
        if (Files.exists(root.resolve(key.id()))) {
            lock.get().close();
            return Optional.empty();
        }
        Path temp = root.resolve(TEMP_PREFIX + key.id() + "-" + UUID.randomUUID());
        try {
            Files.createDirectories(temp);
        } catch (IOException e) {
            lock.get().close();
            throw new UncheckedIOException("cannot create " + temp + ": " + e.getMessage(), e);
        }
        return Optional.of(new Writing(key, cluster, snapshot, temp, lock.get()));
    }

    /**
     * Deletes the entry {@code lease} holds (its state could not be loaded: the next run writes it
     * again), unless another run uses it too; the lease is closed either way. Returns whether it
     * was deleted.
     */
    public boolean discard(Lease lease) {
        lease.close();
        String id = lease.manifest().id();
        Optional<EntryLock> lock = EntryLock.exclusive(lockFile(id));
        if (lock.isEmpty()) {
            return false;
        }
        try (EntryLock held = lock.get()) {
            return delete(root.resolve(id));
        }
    }

    /** What {@link #prune} deleted and kept. */
    public record Pruned(List<String> deleted, long keptBytes) {}

    /**
     * Deletes the entries not used for {@link Limits#maxUnused()}, then the least recently used
     * until the rest is within {@link Limits#maxBytes()}, and temporary directories of writers
     * that died; entries in use are kept whatever their age or size.
     */
    public Pruned prune() {
        if (!Files.isDirectory(root)) {
            return new Pruned(List.of(), 0);
        }
        List<Entry> entries = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p) && WarmKey.isId(name)) {
                    entries.add(new Entry(name, p, lastUsed(p), sizeOf(p)));
                } else if (Files.isDirectory(p) && name.startsWith(TEMP_PREFIX)) {
                    deleteStaleTemp(p, name, deleted);
                } else if (Files.isDirectory(p) && name.startsWith(DELETE_PREFIX)) {
                    deleteTree(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the warm cache " + root + ": " + e.getMessage(), e);
        }
        entries.sort(Comparator.comparing(Entry::lastUsed));
        long total = entries.stream().mapToLong(Entry::bytes).sum();
        Instant oldest = clock.instant().minus(limits.maxUnused());
        for (Entry e : entries) {
            boolean stale = e.lastUsed().isBefore(oldest);
            if (!stale && total <= limits.maxBytes()) {
                continue;
            }
            Optional<EntryLock> lock = EntryLock.exclusive(lockFile(e.id()));
            if (lock.isEmpty()) {
                continue; // in use
            }
            try (EntryLock held = lock.get()) {
                if (delete(e.dir())) {
                    total -= e.bytes();
                    deleted.add(e.id());
                }
            }
        }
        return new Pruned(List.copyOf(deleted), total);
    }

    private record Entry(String id, Path dir, Instant lastUsed, long bytes) {}

    private void deleteStaleTemp(Path p, String name, List<String> deleted) {
        String rest = name.substring(TEMP_PREFIX.length());
        if (rest.length() < 16 || !WarmKey.isId(rest.substring(0, 16))) {
            return;
        }
        Optional<EntryLock> lock = EntryLock.exclusive(lockFile(rest.substring(0, 16)));
        if (lock.isEmpty()) {
            return; // its writer is at work
        }
        try (EntryLock held = lock.get()) {
            deleteTree(p);
            deleted.add(name);
        }
    }

    private Path lockFile(String id) {
        return root.resolve(id + ".lock");
    }

    private static Instant lastUsed(Path dir) {
        try {
            Path m = dir.resolve(MANIFEST);
            return Files.getLastModifiedTime(Files.exists(m) ? m : dir).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    static long sizeOf(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .mapToLong(p -> {
                        try {
                            return Files.size(p);
                        } catch (IOException e) {
                            return 0;
                        }
                    })
                    .sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Renames the entry out of the way (no run sees half of it), then deletes it. The caller holds it exclusively. */
    private boolean delete(Path dir) {
        if (!Files.exists(dir)) {
            return false;
        }
        Path gone = root.resolve(DELETE_PREFIX + dir.getFileName() + "-" + UUID.randomUUID());
        try {
            Files.move(dir, gone, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("cannot delete warm cache entry {}: {}", dir, e.getMessage());
            return false;
        }
        deleteTree(gone);
        return true;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", dir, e.getMessage());
        }
    }

    private static WarmManifest readManifest(Path dir) throws IOException {
        return JSON.readValue(dir.resolve(MANIFEST).toFile(), WarmManifest.class);
    }

    /** A run's use of an entry: shared with other runs, the entry is not deleted while it is open. */
    public static final class Lease implements AutoCloseable {
        private final Path dir;
        private final WarmManifest manifest;
        private final EntryLock lock;

        private Lease(Path dir, WarmManifest manifest, EntryLock lock) {
            this.dir = dir;
            this.manifest = manifest;
            this.lock = lock;
        }

        public Path dir() {
            return dir;
        }

        public WarmManifest manifest() {
            return manifest;
        }

        /** The files of {@code node}. */
        public NodeFiles node(String node) {
            return NodeFiles.in(dir, node);
        }

        @Override
        public void close() {
            lock.close();
        }
    }

    /** An entry being written; {@link #publish} puts it in place, {@link #close} without it deletes it. */
    public final class Writing implements AutoCloseable {
        private final WarmKey key;
        private final String cluster;
        private final String snapshot;
        private final Path dir;
        private final EntryLock lock;
        private boolean done;

        private Writing(WarmKey key, String cluster, String snapshot, Path dir, EntryLock lock) {
            this.key = key;
            this.cluster = cluster;
            this.snapshot = snapshot;
            this.dir = dir;
            this.lock = lock;
        }

        /** The files of {@code node} (its directory is made). */
        public NodeFiles node(String node) {
            NodeFiles f = NodeFiles.in(dir, node);
            try {
                Files.createDirectories(f.vmstate().getParent());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + f.vmstate().getParent() + ": " + e.getMessage(), e);
            }
            return f;
        }

        /**
         * Writes the manifest, renames the entry into place, releases it and prunes the cache.
         * Every node's files must have been written.
         *
         * @param accelerator what the state was saved under
         * @param kvmFallback why KVM failed under {@code auto} on this host (TCG), or null
         * @return the manifest written
         */
        public WarmManifest publish(List<String> nodes, String accelerator, String kvmFallback) {
            if (done) {
                throw new IllegalStateException("warm cache entry " + key.id() + " is already published or abandoned");
            }
            for (String node : nodes) {
                NodeFiles f = NodeFiles.in(dir, node);
                if (!Files.isRegularFile(f.vmstate()) || !Files.isRegularFile(f.disk())) {
                    throw new IllegalStateException(
                            "warm cache entry " + key.id() + ": node " + node + " has no vmstate or disk in " + dir);
                }
            }
            WarmManifest m = new WarmManifest(
                    WarmManifest.FORMAT,
                    key.id(),
                    key.material(),
                    cluster,
                    snapshot,
                    nodes,
                    clock.instant().toString(),
                    sizeOf(dir),
                    accelerator,
                    kvmFallback);
            Path target = root.resolve(key.id());
            try {
                JSON.writeValue(dir.resolve(MANIFEST).toFile(), m);
                try {
                    Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new IOException("the warm cache " + root + " cannot rename atomically", e);
                }
            } catch (IOException e) {
                close();
                throw new UncheckedIOException("cannot publish warm cache entry " + target + ": " + e.getMessage(), e);
            }
            done = true;
            lock.close();
            prune();
            return m;
        }

        /** Deletes the entry unless it was published, and releases it. Idempotent. */
        @Override
        public void close() {
            if (!done) {
                done = true;
                deleteTree(dir);
            }
            lock.close();
        }
    }
}
