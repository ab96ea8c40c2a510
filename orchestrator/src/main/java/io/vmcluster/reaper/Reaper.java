package io.vmcluster.reaper;

import io.vmcluster.network.NetworkNamespace;
import io.vmcluster.process.ProcessIdentity;
import io.vmcluster.time.Timing;
import io.vmcluster.time.Wait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what dead runs left: for every run directory whose owner JVM is gone (pid and start
 * time no longer match a live process), it kills the recorded children still alive, deletes the
 * recorded network namespaces (killing any process still inside) and removes the directory.
 * Runs whose owner lives — this JVM's or another's — are never touched.
 *
 * <p>Two reapers racing for one dead run are harmless: a run is claimed by atomically renaming
 * its directory to {@code .reclaim-<id>-<reaper pid>} and only the winner goes on; a claim whose
 * reaper died is claimed again. A directory without an owner file (a run being created, or one
 * killed while creating) is reclaimed only once it is a minute old.
 */
public final class Reaper {
    static final String OWNER = "owner";
    static final String NETNS = "netns";
    static final String CHILDREN = "children";
    private static final String CLAIM_PREFIX = ".reclaim-";
    private static final Duration UNOWNED_GRACE = Duration.ofMinutes(1);
    private static final Duration KILL_BOUND = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(Reaper.class);

    private final Path base;
    private final Timing timing;

    /** A reaper for the run directories under {@code base}; {@code timing} scales its bounds. */
    public Reaper(Path base, Timing timing) {
        this.base = base;
        this.timing = timing;
    }

    /** A reaper for the default base ({@link RunDirectories#base()}). */
    public static Reaper standard(Timing timing) {
        return new Reaper(RunDirectories.base(), timing);
    }

    /** Reclaims every dead run under the base; returns what was removed. Never throws for one bad run. */
    public List<ReclaimedRun> reclaimDeadRuns() {
        List<ReclaimedRun> reclaimed = new ArrayList<>();
        if (!Files.isDirectory(base)) {
            return reclaimed;
        }
        List<Path> entries;
        try (Stream<Path> s = Files.list(base)) {
            entries = s.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list run directories in " + base, e);
        }
        for (Path dir : entries) {
            try {
                reclaimIfDead(dir).ifPresent(reclaimed::add);
            } catch (RuntimeException | IOException e) {
                LOG.warn("cannot reclaim dead run {}: {}", dir, e.toString());
            }
        }
        return reclaimed;
    }

    private Optional<ReclaimedRun> reclaimIfDead(Path dir) throws IOException {
        String name = dir.getFileName().toString();
        String runId;
        if (name.startsWith(CLAIM_PREFIX)) {
            // .reclaim-<id>-<pid>: a claim; take it over only if that reaper is gone
            String[] parts = name.substring(CLAIM_PREFIX.length()).split("-");
            if (parts.length != 2
                    || !RunId.isValid(parts[0])
                    || ProcessHandle.of(Long.parseLong(parts[1])).isPresent()) {
                return Optional.empty();
            }
            runId = parts[0];
        } else if (RunId.isValid(name)) {
            runId = name;
        } else {
            return Optional.empty();
        }
        Optional<ProcessIdentity> owner = readOwner(dir);
        if (owner.isPresent() && owner.get().isAlive()) {
            return Optional.empty();
        }
        if (owner.isEmpty() && !name.startsWith(CLAIM_PREFIX) && youngerThan(dir, UNOWNED_GRACE)) {
            return Optional.empty();
        }
        Path claimed = base.resolve(
                CLAIM_PREFIX + runId + "-" + ProcessHandle.current().pid());
        try {
            Files.move(dir, claimed, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException | java.nio.file.FileAlreadyExistsException e) {
            return Optional.empty(); // another reaper won
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot claim " + dir + " atomically", e);
        }
        Cleanup c = removeRunDirectory(claimed, Duration.ZERO, timing);
        LOG.info(
                "reclaimed dead run {} (owner {}): killed {}, deleted namespaces {}",
                runId,
                owner.map(Object::toString).orElse("unknown"),
                c.killed,
                c.namespaces);
        return Optional.of(new ReclaimedRun(new RunId(runId), owner, c.killed, c.namespaces));
    }

    /**
     * Removes a run directory and what it records: stops recorded children still alive (SIGTERM,
     * then SIGKILL after {@code grace}; SIGKILL at once if zero), deletes the recorded namespaces,
     * deletes the directory. Shared by {@link Run#close()} and the reaper.
     */
    static Cleanup removeRunDirectory(Path dir, Duration grace, Timing timing) {
        Cleanup c = new Cleanup();
        c.killed.addAll(stopChildren(dir, grace, timing));
        for (Path record : list(dir.resolve(NETNS))) {
            String ns = record.getFileName().toString();
            if (NetworkNamespace.exists(ns)) {
                NetworkNamespace.delete(ns, timing);
                c.namespaces.add(ns);
            }
        }
        try {
            RunDirectories.deleteTree(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove run directory " + dir, e);
        }
        return c;
    }

    /**
     * Stops the children recorded in a run directory that are still alive: SIGTERM, then SIGKILL
     * after {@code grace} (at once if zero). Returns those that needed SIGKILL.
     */
    static List<ProcessIdentity> stopChildren(Path dir, Duration grace, Timing timing) {
        List<ProcessIdentity> killed = new ArrayList<>();
        List<ProcessIdentity> alive = new ArrayList<>();
        for (Path record : list(dir.resolve(CHILDREN))) {
            try {
                ProcessIdentity child =
                        ProcessIdentity.parse(Files.readAllLines(record).get(0));
                if (child.isAlive()) {
                    alive.add(child);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("unreadable child record {}: {}", record, e.toString());
            }
        }
        if (!alive.isEmpty()) {
            if (!grace.isZero()) {
                alive.forEach(p -> ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroy));
                try {
                    Wait.forCondition("children " + alive + " to exit after SIGTERM")
                            .atMost(grace)
                            .timing(timing)
                            .untilTrue(() -> alive.stream().noneMatch(ProcessIdentity::isAlive));
                } catch (RuntimeException timeout) {
                    // SIGKILL below
                }
            }
            for (ProcessIdentity p : alive) {
                if (p.isAlive()) {
                    ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
                    killed.add(p);
                }
            }
            Wait.forCondition("children " + alive + " to die after SIGKILL")
                    .atMost(KILL_BOUND)
                    .timing(timing)
                    .untilTrue(() -> alive.stream().noneMatch(ProcessIdentity::isAlive));
        }
        return killed;
    }

    private static Optional<ProcessIdentity> readOwner(Path dir) {
        try {
            return Optional.of(ProcessIdentity.parse(Files.readString(dir.resolve(OWNER))));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean youngerThan(Path dir, Duration age) throws IOException {
        FileTime modified = Files.getLastModifiedTime(dir);
        return modified.toInstant().isAfter(Instant.now().minus(age));
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** What one removal did. */
    static final class Cleanup {
        final List<ProcessIdentity> killed = new ArrayList<>();
        final List<String> namespaces = new ArrayList<>();
    }
}
