package io.vmcluster.warm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The lock of one cache entry: an OS file lock ({@code flock}-like, so it holds between processes
 * and is gone when a process dies) on {@code <id>.lock}, shared by every run that uses the entry
 * and exclusive for the one run that writes it or the pruner that deletes it. Nobody waits: a
 * lock that cannot be had at once is simply not taken ({@link Optional#empty()}), and the caller
 * boots instead of using the entry, or leaves the entry alone.
 *
 * <p>Java refuses a second lock on the same file within one JVM ({@link
 * OverlappingFileLockException}); so the holds of this JVM are counted here, and several shared
 * holds in one JVM (two clusters of one suite on the same entry) share one OS lock.
 */
final class EntryLock implements AutoCloseable {
    private static final Map<Path, Held> HELD = new HashMap<>();

    private final Path file;
    private boolean released;

    private EntryLock(Path file) {
        this.file = file;
    }

    /** A shared hold on {@code file}, unless someone holds it exclusively. */
    static Optional<EntryLock> shared(Path file) {
        return take(file.toAbsolutePath().normalize(), true);
    }

    /** The only hold on {@code file}, unless anyone (this JVM included) holds it at all. */
    static Optional<EntryLock> exclusive(Path file) {
        return take(file.toAbsolutePath().normalize(), false);
    }

    private static Optional<EntryLock> take(Path file, boolean shared) {
        synchronized (HELD) {
            Held h = HELD.get(file);
            if (h != null) {
                if (!shared || !h.shared) {
                    return Optional.empty();
                }
                h.count++;
                return Optional.of(new EntryLock(file));
            }
            FileChannel ch = null;
            try {
                ch = FileChannel.open(
                        file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock lock = ch.tryLock(0, Long.MAX_VALUE, shared);
                if (lock == null) {
                    ch.close();
                    return Optional.empty();
                }
                HELD.put(file, new Held(ch, lock, shared));
                return Optional.of(new EntryLock(file));
            } catch (OverlappingFileLockException e) {
                closeQuietly(ch);
                return Optional.empty();
            } catch (IOException e) {
                closeQuietly(ch);
                throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** Releases this hold; the OS lock goes with the last hold of this JVM. Idempotent. */
    @Override
    public void close() {
        synchronized (HELD) {
            if (released) {
                return;
            }
            released = true;
            Held h = HELD.get(file);
            if (h != null && --h.count == 0) {
                HELD.remove(file);
                try {
                    h.lock.release();
                } catch (IOException ignored) {
                    // closing the channel releases it too
                }
                closeQuietly(h.channel);
            }
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing held through it any more
            }
        }
    }

    private static final class Held {
        final FileChannel channel;
        final FileLock lock;
        final boolean shared;
        int count = 1;

        Held(FileChannel channel, FileLock lock, boolean shared) {
            this.channel = channel;
            this.lock = lock;
            this.shared = shared;
        }
    }
}
