package io.vmcluster.cluster;

import io.vmcluster.events.EventKind;
import io.vmcluster.events.EventSink;
import io.vmcluster.qmp.QmpCommand;
import io.vmcluster.time.Timing;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Whole-cluster snapshots: one consistent cut of every node, taken and restored together.
 *
 * <p>Snapshot: every node is frozen ({@code stop}, in parallel, so the nodes stop within a few
 * milliseconds of each other), then each saves its RAM, device state and data disk as an internal
 * qcow2 snapshot in its own data disk ({@code snapshot-save} job, vmstate and disk both on the
 * data disk's qcow2 node), then all resume. Restore: freeze all, {@code snapshot-load} on each,
 * resume all, then set every guest's wall clock to the host's (it would otherwise be the
 * snapshot's time). TCP connections between the nodes survive (both ends come back from the same
 * cut); frames in flight at the cut are lost, as on a real network.
 *
 * <p>Not restored: anything outside the guests — host-side faults (nftables partitions, taps'
 * state) and captures. See docs/snapshots.md.
 */
final class ClusterSnapshots {
    private static final Duration JOB = Duration.ofSeconds(180);

    private final List<Node> nodes;
    private final EventSink events;
    private final Timing timing;
    private final String cluster;
    private final Set<String> taken = ConcurrentHashMap.newKeySet();

    ClusterSnapshots(String cluster, List<Node> nodes, EventSink events, Timing timing) {
        this.cluster = cluster;
        this.nodes = nodes;
        this.events = events;
        this.timing = timing;
    }

    /** How long each phase took. */
    record Timings(Duration freeze, Duration work, Duration resume, Duration clocks) {
        Duration total() {
            return freeze.plus(work).plus(resume).plus(clocks);
        }
    }

    static void checkName(String name) {
        new SnapshotName(name);
    }

    /** The names taken so far on this cluster. */
    Set<String> names() {
        return Set.copyOf(taken);
    }

    Timings snapshot(String name, Consumer<Consumer<Node>> parallel) {
        return snapshot(name, parallel, () -> {});
    }

    /**
     * Takes snapshot {@code name}; {@code whileFrozen} runs after every node saved it and before
     * they resume (a warm cache entry is written from the same cut).
     */
    Timings snapshot(String name, Consumer<Consumer<Node>> parallel, Runnable whileFrozen) {
        checkName(name);
        long t0 = System.nanoTime();
        parallel.accept(Node::pause);
        long t1 = System.nanoTime();
        try {
            parallel.accept(n -> {
                if (taken.contains(name)) {
                    runJob(n, "snapshot-delete", name, false);
                }
                runJob(n, "snapshot-save", name, true);
            });
            whileFrozen.run();
        } finally {
            parallel.accept(Node::resume);
        }
        long t2 = System.nanoTime();
        taken.add(name);
        Timings t = new Timings(Duration.ofNanos(t1 - t0), Duration.ofNanos(t2 - t1), Duration.ZERO, Duration.ZERO);
        record(EventKind.CLUSTER_SNAPSHOT, name, t, Map.of());
        return t;
    }

    /** Throws {@link IllegalArgumentException} unless {@code name} is a snapshot this cluster took. */
    void checkTaken(String name) {
        checkName(name);
        if (!taken.contains(name)) {
            throw new IllegalArgumentException("no snapshot '" + name + "' on cluster " + cluster + "; taken: "
                    + (taken.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(taken))));
        }
    }

    Timings restore(String name, Consumer<Consumer<Node>> parallel) {
        checkTaken(name);
        long t0 = System.nanoTime();
        parallel.accept(Node::pause);
        long t1 = System.nanoTime();
        parallel.accept(n -> runJob(n, "snapshot-load", name, true));
        long t2 = System.nanoTime();
        parallel.accept(Node::resume);
        long t3 = System.nanoTime();
        Map<String, Long> steps = new java.util.concurrent.ConcurrentSkipListMap<>();
        parallel.accept(n -> steps.put(n.name(), setClock(n)));
        long t4 = System.nanoTime();
        Timings t = new Timings(
                Duration.ofNanos(t1 - t0),
                Duration.ofNanos(t2 - t1),
                Duration.ofNanos(t3 - t2),
                Duration.ofNanos(t4 - t3));
        record(EventKind.CLUSTER_RESTORE, name, t, steps);
        return t;
    }

    /** A probe of the guest clock slower than this is repeated (at most {@link #CLOCK_PROBES} in all). */
    private static final long TIGHT_PROBE_MS = 500;

    private static final int CLOCK_PROBES = 2;

    /**
     * The whole seconds to move a guest's clock by, from one probe: the host's wall clock (epoch
     * ms) when {@code date -u +%s} was sent and when its answer {@code guestSeconds} came back. The
     * guest read its clock somewhere in between: the estimate is the midpoint, and the guest's
     * true time lies in {@code [guestSeconds, guestSeconds + 1)}. 0 when the guest is within a
     * second of the host already (setting it would only drop its fraction of a second); else
     * rounded up by half a second for the fraction that {@code date -s} drops.
     */
    static long clockStep(long sentMs, long receivedMs, long guestSeconds) {
        double offset = (sentMs + receivedMs) / 2000.0 - (guestSeconds + 0.5);
        if (Math.abs(offset) < 1.0) {
            return 0;
        }
        return Math.round(offset + 0.5);
    }

    /**
     * Sets the guest's wall clock to the host's after a restore, over the console, and returns the
     * step in seconds (recorded in the event). What {@code snapshot-load} leaves the guest clock at
     * is not reliable under TCG (it may run on from the snapshot's time or be near the host's,
     * depending on the guest's clocksource), and the first command after a restore may take
     * seconds on a loaded host, so an absolute {@code date -s @HOST_SECONDS} can leave the guest
     * seconds behind. Instead: probe the guest clock ({@code date -u +%s}, once more when the round
     * trip was slower than {@value #TIGHT_PROBE_MS} ms, as the first command after a restore often
     * is; the tighter kept), then move it by the
     * difference, computed in the guest when the command runs ({@code date -u -s @$(( $(date -u
     * +%s) + STEP ))}), so this second command's latency does not matter. Busybox takes whole
     * seconds: the guest ends within about a second (plus half the probe's round trip) of the host.
     */
    static long setClock(Node n) {
        return setClock(n, null);
    }

    /**
     * {@link #setClock(Node)}, with {@code before} (a guest command that prints nothing, or null)
     * run in the same console command as the first probe: one round trip less after a warm start.
     */
    static long setClock(Node n, String before) {
        long best = Long.MAX_VALUE;
        long step = 0;
        for (int i = 0; i < CLOCK_PROBES && best > TIGHT_PROBE_MS; i++) {
            String probe = i == 0 && before != null ? "{ " + before + "; } && date -u +%s" : "date -u +%s";
            long sent = System.currentTimeMillis();
            String out = n.succeed(probe, Duration.ofSeconds(30)).stdoutLine();
            long received = System.currentTimeMillis();
            long guest;
            try {
                guest = Long.parseLong(out.strip());
            } catch (NumberFormatException e) {
                throw new SnapshotException(
                        n.name() + ": after the restore, 'date -u +%s' printed '" + out + "', not a number of seconds");
            }
            if (received - sent < best) {
                best = received - sent;
                step = clockStep(sent, received, guest);
            }
        }
        if (step != 0) {
            n.succeed("date -u -s @$(( $(date -u +%s) + " + step + " )) >/dev/null", Duration.ofSeconds(30));
        }
        return step;
    }

    /** Runs one snapshot job on the node's data disk and waits until it concluded; dismisses it. */
    private void runJob(Node n, String command, String tag, boolean mustSucceed) {
        String id = "vmc-" + command + "-" + tag;
        String disk = n.dataDiskImageNode();
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("job-id", id);
        args.put("tag", tag);
        if (!command.equals("snapshot-delete")) {
            args.put("vmstate", disk);
        }
        args.put("devices", List.of(disk));
        String error = QmpJob.start(n, id, QmpCommand.of(command, args), timing.scale(JOB), SnapshotException::new)
                .finish();
        if (error != null && mustSucceed) {
            throw new SnapshotException(
                    n.name() + ": " + command + " '" + tag + "' of disk node " + disk + " failed: " + error);
        }
    }

    private void record(EventKind kind, String name, Timings t, Map<String, Long> clockSteps) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("cluster", cluster);
        fields.put("name", name);
        fields.put("freeze_ms", t.freeze().toMillis());
        fields.put("work_ms", t.work().toMillis());
        fields.put("resume_ms", t.resume().toMillis());
        fields.put("clocks_ms", t.clocks().toMillis());
        fields.put("total_ms", t.total().toMillis());
        if (!clockSteps.isEmpty()) {
            fields.put("clock_step_s", clockSteps);
        }
        events.record(kind, null, fields);
    }
}
