package io.vmcluster.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmcluster.events.EventKind;
import io.vmcluster.events.EventSink;
import io.vmcluster.qmp.QmpClient;
import io.vmcluster.qmp.QmpEvent;
import io.vmcluster.qmp.QmpEventType;
import io.vmcluster.time.Timing;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
        } finally {
            parallel.accept(Node::resume);
        }
        long t2 = System.nanoTime();
        taken.add(name);
        Timings t = new Timings(Duration.ofNanos(t1 - t0), Duration.ofNanos(t2 - t1), Duration.ZERO, Duration.ZERO);
        record(EventKind.CLUSTER_SNAPSHOT, name, t);
        return t;
    }

    Timings restore(String name, Consumer<Consumer<Node>> parallel) {
        checkName(name);
        if (!taken.contains(name)) {
            throw new IllegalArgumentException("no snapshot '" + name + "' on cluster " + cluster + "; taken: "
                    + (taken.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(taken))));
        }
        long t0 = System.nanoTime();
        parallel.accept(Node::pause);
        long t1 = System.nanoTime();
        parallel.accept(n -> runJob(n, "snapshot-load", name, true));
        long t2 = System.nanoTime();
        parallel.accept(Node::resume);
        long t3 = System.nanoTime();
        parallel.accept(this::setClock);
        long t4 = System.nanoTime();
        Timings t = new Timings(
                Duration.ofNanos(t1 - t0),
                Duration.ofNanos(t2 - t1),
                Duration.ofNanos(t3 - t2),
                Duration.ofNanos(t4 - t3));
        record(EventKind.CLUSTER_RESTORE, name, t);
        return t;
    }

    /**
     * The guest's wall clock to the host's, through the console ({@code date -s @SECONDS}: busybox
     * takes whole seconds, so the guest is up to a second behind, plus the command's latency).
     */
    private void setClock(Node n) {
        long seconds = Instant.now().getEpochSecond();
        n.succeed("date -u -s @" + seconds + " >/dev/null", Duration.ofSeconds(30));
    }

    /** Runs one snapshot job on the node's data disk and waits until it concluded; dismisses it. */
    private void runJob(Node n, String command, String tag, boolean mustSucceed) {
        QmpClient qmp = n.qmp();
        String id = "vmc-" + command + "-" + tag;
        String disk = n.dataDiskImageNode();
        Duration bound = timing.scale(JOB);
        CompletableFuture<QmpEvent> concluded = qmp.awaitEvent(
                e -> e.is(QmpEventType.JOB_STATUS_CHANGE)
                        && id.equals(e.dataText("id"))
                        && "concluded".equals(e.dataText("status")),
                command + " job " + id + " concluded",
                bound);
        ObjectNode args = JsonNodeFactory.instance.objectNode();
        args.put("job-id", id);
        args.put("tag", tag);
        if (!command.equals("snapshot-delete")) {
            args.put("vmstate", disk);
        }
        args.putArray("devices").add(disk);
        get(qmp.execute(command, args), n, command);
        get(concluded, n, command + " to conclude");
        JsonNode jobs = get(qmp.execute("query-jobs", null), n, "query-jobs");
        String error = null;
        for (JsonNode j : jobs) {
            if (id.equals(j.path("id").asText())) {
                error = j.hasNonNull("error") ? j.get("error").asText() : null;
            }
        }
        ObjectNode dismiss = JsonNodeFactory.instance.objectNode();
        dismiss.put("id", id);
        get(qmp.execute("job-dismiss", dismiss), n, "job-dismiss");
        if (error != null && mustSucceed) {
            throw new SnapshotException(
                    n.name() + ": " + command + " '" + tag + "' of disk node " + disk + " failed: " + error);
        }
    }

    private <T> T get(CompletableFuture<T> f, Node n, String what) {
        try {
            return f.get(timing.scale(JOB).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new SnapshotException(
                    n.name() + ": " + what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new SnapshotException(n.name() + ": " + what + " did not finish within " + timing.scale(JOB), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SnapshotException(n.name() + ": interrupted during " + what, e);
        }
    }

    private void record(EventKind kind, String name, Timings t) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("cluster", cluster);
        fields.put("name", name);
        fields.put("freeze_ms", t.freeze().toMillis());
        fields.put("work_ms", t.work().toMillis());
        fields.put("resume_ms", t.resume().toMillis());
        fields.put("clocks_ms", t.clocks().toMillis());
        fields.put("total_ms", t.total().toMillis());
        events.record(kind, null, fields);
    }
}
