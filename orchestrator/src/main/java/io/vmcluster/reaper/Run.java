package io.vmcluster.reaper;

import io.vmcluster.network.NetworkNamespace;
import io.vmcluster.process.ChildListener;
import io.vmcluster.process.ChildProcess;
import io.vmcluster.process.ProcessIdentity;
import io.vmcluster.process.ProcessLauncher;
import io.vmcluster.resource.Closer;
import io.vmcluster.time.Timing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live run of vmcluster and everything it must leave behind clean: a run directory for
 * temporary files, the network namespaces it created and the child processes it started.
 *
 * <p>The run directory ({@code <base>/<run-id>/}, see {@link RunDirectories}) records the owner
 * ({@code owner}: "PID STARTTIME" of this JVM), each namespace ({@code netns/NAME}) before it is
 * created, and each live child ({@code children/PID}: "PID STARTTIME") — so a later run's
 * {@link Reaper} can remove what this one left if this JVM is killed with {@code kill -9}.
 *
 * <p>{@link #close()} (also run by a JVM shutdown hook on Ctrl-C / SIGTERM / normal exit) closes
 * the registered resources in reverse order, stops children still alive, deletes the namespaces
 * and removes the run directory. The results directory is elsewhere and is not touched.
 */
public final class Run implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Run.class);
    private static final Set<Path> RECLAIMED_BASES = ConcurrentHashMap.newKeySet();
    private static final Duration CHILD_GRACE = Duration.ofSeconds(2);

    private final RunId id;
    private final Path dir;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final ProcessLauncher launcher;
    private final AtomicInteger namespaceCount = new AtomicInteger();
    private final List<NetworkNamespace> namespaces = new CopyOnWriteArrayList<>();
    private final Thread shutdownHook;
    private final Timing timing;
    private boolean closed;

    private Run(RunId id, Path dir, Timing timing) {
        this.id = id;
        this.dir = dir;
        this.timing = timing;
        this.launcher = ProcessLauncher.withListener(new Recorder(), timing);
        this.shutdownHook = new Thread(this::closeFromHook, "vmc-run-" + id + "-shutdown");
    }

    /**
     * Starts a run under the default base directory. The first run of a JVM under a base first reclaims what
     * dead runs left ({@link Reaper#reclaimDeadRuns()}). {@code timing} scales every bound of the
     * run's commands, children and cleanup.
     */
    public static Run start(Timing timing) {
        return start(RunDirectories.base(), timing);
    }

    /** Starts a run under {@code base}; see {@link #start(Timing)}. */
    public static Run start(Path base, Timing timing) {
        if (RECLAIMED_BASES.add(base.toAbsolutePath().normalize())) {
            new Reaper(base, timing).reclaimDeadRuns();
        }
        try {
            Files.createDirectories(base);
            for (int attempt = 0; ; attempt++) {
                RunId id = RunId.random();
                Path dir = base.resolve(id.value());
                try {
                    Files.createDirectory(dir);
                } catch (FileAlreadyExistsException e) {
                    if (attempt > 10) {
                        throw e;
                    }
                    continue;
                }
                Files.createDirectory(dir.resolve(Reaper.NETNS));
                Files.createDirectory(dir.resolve(Reaper.CHILDREN));
                Files.writeString(dir.resolve(Reaper.OWNER), ProcessIdentity.current() + "\n");
                Run run = new Run(id, dir, timing);
                Runtime.getRuntime().addShutdownHook(run.shutdownHook);
                LOG.debug("run {} started in {}", id, dir);
                return run;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a run directory under " + base + ": " + e.getMessage(), e);
        }
    }

    /** This run's id (names the run directory and the namespaces). */
    public RunId id() {
        return id;
    }

    /** The run's temporary directory (removed on close). */
    public Path dir() {
        return dir;
    }

    /**
     * Creates a network namespace {@code vmc-<run-id>-<n>} owned by this run: recorded in the run
     * directory first, deleted when the run closes (after its children are stopped), or by the
     * reaper if this JVM dies.
     */
    public NetworkNamespace createNamespace() {
        String name = NetworkNamespace.PREFIX + id + "-" + namespaceCount.incrementAndGet();
        Path record = dir.resolve(Reaper.NETNS).resolve(name);
        try {
            Files.writeString(record, "");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record namespace " + name + " in " + dir, e);
        }
        NetworkNamespace ns = NetworkNamespace.create(name, timing);
        namespaces.add(ns);
        return ns;
    }

    /** A launcher whose children are recorded in the run directory (pid + start time). */
    public ProcessLauncher launcher() {
        return launcher;
    }

    /** Registers {@code resource} to be closed when the run closes, in reverse order of registration. */
    public synchronized <T extends AutoCloseable> T closeWithRun(T resource) {
        if (closed) {
            throw new IllegalStateException("run " + id + " is closed");
        }
        resources.push(resource);
        return resource;
    }

    /**
     * Closes the registered resources (last first), stops recorded children still alive (SIGTERM,
     * 2 s, SIGKILL), deletes the namespaces and removes the run directory. Every step runs even if an earlier
     * one fails; the first failure is thrown with the others suppressed. Idempotent.
     */
    @Override
    public void close() {
        closeAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // called while the JVM shuts down: the hook is running or about to, and is idempotent
        }
    }

    private void closeFromHook() {
        try {
            closeAll();
        } catch (RuntimeException e) {
            LOG.error("cleaning up run {} at JVM shutdown failed", id, e);
        }
    }

    private void closeAll() {
        List<AutoCloseable> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = List.copyOf(resources);
            resources.clear();
        }
        // Every step runs whatever the one before threw, Errors included (an OutOfMemoryError in
        // a resource's close must not leave the namespace behind); the first failure is thrown.
        Closer closer = new Closer();
        for (AutoCloseable r : toClose) {
            closer.run("closing " + r + " of run " + id, r::close);
        }
        closer.run(() -> Reaper.stopChildren(dir, CHILD_GRACE, timing));
        for (NetworkNamespace ns : namespaces) {
            closer.run(ns::close);
        }
        closer.run(() -> Reaper.removeRunDirectory(dir, CHILD_GRACE, timing));
        LOG.debug("run {} closed", id);
        closer.throwIfFailed();
    }

    @Override
    public String toString() {
        return "Run[" + id + " in " + dir + "]";
    }

    /** Writes and removes {@code children/PID}. */
    private final class Recorder implements ChildListener {
        @Override
        public void started(ChildProcess child) {
            try {
                Files.writeString(
                        dir.resolve(Reaper.CHILDREN).resolve(Long.toString(child.pid())),
                        child.identity() + "\n" + String.join(" ", child.spec().commandLine()) + "\n");
            } catch (IOException e) {
                LOG.warn("cannot record child {} in run {}: {}", child.describe(), id, e.getMessage());
            }
        }

        @Override
        public void exited(ChildProcess child) {
            try {
                Files.deleteIfExists(dir.resolve(Reaper.CHILDREN).resolve(Long.toString(child.pid())));
            } catch (IOException e) {
                LOG.debug("cannot remove the record of child {}: {}", child.describe(), e.getMessage());
            }
        }
    }
}
