package io.vmcluster.nemesis;

import io.vmcluster.events.EventKind;
import io.vmcluster.events.EventSink;
import io.vmcluster.fault.Fault;
import io.vmcluster.fault.FaultSpec;
import io.vmcluster.resource.Closer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a {@link Schedule} through the fault API: each fault when its time comes, undone when
 * its duration is up, everything still open undone at the schedule's length (the final heal),
 * then the recovery waited out. One thread, in schedule order: a slow apply or undo (a crashed
 * node's restart waits until it is ready) delays what comes after it, and the times actually
 * achieved are in the events ({@code nemesis.fault} with {@code atMs} and {@code actualMs}, and
 * the fault API's own {@code fault.start} / {@code fault.end}).
 *
 * <p>A probe-named node ({@code ${leader}}) is asked when its fault starts. If it names a node on
 * which an open fault of the schedule cannot go with this one ({@link NodeUse}), the fault is
 * skipped and recorded as {@code nemesis.skip}, rather than applied against a frozen or dead VM.
 */
public final class ScheduleRunner {
    /** What the runner needs from a running cluster. */
    public interface Target {
        /** Applies a fault whose nodes are names; returns the handles to undo (none for instants). */
        List<Fault> apply(FaultSpec<List<String>> fault);

        /** The node the probe {@code name} names now (e.g. the current leader). */
        String probe(String name);
    }

    /** How the runner waits for a point of the schedule; real time in a run, a script in tests. */
    public interface Pacer {
        /** Returns once {@code offset} from the nemesis's start has passed. */
        void awaitOffset(Duration offset) throws InterruptedException;

        /** How far into the nemesis we are now. */
        Duration elapsed();

        /** A pacer on the host's monotonic clock, starting now. */
        static Pacer realTime() {
            long start = System.nanoTime();
            return new Pacer() {
                @Override
                public void awaitOffset(Duration offset) throws InterruptedException {
                    long left = offset.toNanos() - (System.nanoTime() - start);
                    if (left > 0) {
                        // waiting for a planned moment of the schedule, not for a condition
                        Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
                    }
                }

                @Override
                public Duration elapsed() {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
            };
        }
    }

    /** What happened: the faults applied and skipped, by schedule id. */
    public record Outcome(List<Integer> applied, List<Integer> skipped) {
        public Outcome {
            applied = List.copyOf(applied);
            skipped = List.copyOf(skipped);
        }
    }

    private record Open(ScheduledFault fault, List<String> nodes, List<Fault> handles) {}

    private final Target target;
    private final EventSink events;
    private final Pacer pacer;

    public ScheduleRunner(Target target, EventSink events, Pacer pacer) {
        this.target = target;
        this.events = events;
        this.pacer = pacer;
    }

    /**
     * Runs the schedule to its end and through its recovery. A fault that cannot be applied stops
     * the schedule: what is open is undone and the failure is thrown.
     *
     * @param scheduleFile the schedule file's name in the results directory, for the start event (may be null)
     */
    public Outcome run(Schedule schedule, String scheduleFile) throws InterruptedException {
        Map<String, Object> start = new LinkedHashMap<>();
        start.put("seed", schedule.seed());
        start.put("faults", schedule.faults().size());
        start.put("lengthMs", schedule.length().toMillis());
        start.put("recoveryMs", schedule.recovery().toMillis());
        if (scheduleFile != null) start.put("schedule", scheduleFile);
        events.record(EventKind.NEMESIS_START, null, start);
        List<Open> open = new ArrayList<>();
        List<Integer> applied = new ArrayList<>();
        List<Integer> skipped = new ArrayList<>();
        try {
            for (ScheduledFault f : schedule.faults()) {
                endDue(open, f.at());
                pacer.awaitOffset(f.at());
                FaultSpec<List<String>> resolved = resolve(f);
                List<String> nodes = nodesOf(resolved);
                String busy = busy(open, f, nodes);
                if (busy != null) {
                    skipped.add(f.id());
                    Map<String, Object> skip = fields(f, nodes);
                    skip.put("reason", busy);
                    events.record(EventKind.NEMESIS_SKIP, nodes.isEmpty() ? null : nodes.get(0), skip);
                    continue;
                }
                Map<String, Object> fields = fields(f, nodes);
                fields.put("actualMs", pacer.elapsed().toMillis());
                List<Fault> handles = target.apply(resolved);
                fields.put("faults", handles.stream().map(Fault::id).toList());
                events.record(EventKind.NEMESIS_FAULT, nodes.isEmpty() ? null : nodes.get(0), fields);
                applied.add(f.id());
                if (!f.fault().instant()) {
                    open.add(new Open(f, nodes, handles));
                }
            }
            endDue(open, schedule.length());
            pacer.awaitOffset(schedule.length());
        } finally {
            healAll(open);
        }
        pacer.awaitOffset(schedule.length().plus(schedule.recovery()));
        events.record(
                EventKind.NEMESIS_END,
                null,
                Map.of(
                        "applied",
                        applied.size(),
                        "skipped",
                        skipped.size(),
                        "ms",
                        pacer.elapsed().toMillis()));
        return new Outcome(applied, skipped);
    }

    /** Undoes, in order of their ends, the open faults that end at or before {@code t}. */
    private void endDue(List<Open> open, Duration t) throws InterruptedException {
        List<Open> due = open.stream()
                .filter(o -> o.fault().end().compareTo(t) <= 0)
                .sorted(Comparator.comparing((Open o) -> o.fault().end()))
                .toList();
        for (Open o : due) {
            pacer.awaitOffset(o.fault().end());
            open.remove(o);
            closeAll(o.handles());
        }
    }

    /** Undoes every open fault, newest first; every undo runs, the first failure is thrown. */
    private void healAll(List<Open> open) {
        List<Fault> handles = open.stream().flatMap(o -> o.handles().stream()).toList();
        open.clear();
        Closer.closeInReverse(handles);
    }

    private static void closeAll(List<Fault> handles) {
        Closer.closeInReverse(handles);
    }

    /** The fault over node names, each probe asked once, now. */
    private FaultSpec<List<String>> resolve(ScheduledFault f) {
        Map<String, String> probed = new LinkedHashMap<>();
        return f.fault().map(n -> {
            if (n instanceof ScheduledNodes.Probe p) {
                return List.of(probed.computeIfAbsent(p.name(), target::probe));
            }
            return ((ScheduledNodes.Names) n).names();
        });
    }

    /** Every node a resolved fault names, in the order written. */
    private static List<String> nodesOf(FaultSpec<List<String>> fault) {
        List<String> out = new ArrayList<>();
        fault.map(names -> {
            for (String name : names) {
                if (!out.contains(name)) out.add(name);
            }
            return names;
        });
        return out;
    }

    /** Why the fault cannot go on these nodes now, or null. */
    private static String busy(List<Open> open, ScheduledFault f, List<String> nodes) {
        for (Open o : open) {
            for (String node : nodes) {
                if (o.nodes().contains(node)
                        && !NodeUse.compatible(
                                o.fault().fault().kind(), f.fault().kind())) {
                    return node + " is under #" + o.fault().id() + " ("
                            + o.fault().fault() + ")";
                }
            }
        }
        return null;
    }

    private static Map<String, Object> fields(ScheduledFault f, List<String> nodes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id());
        m.put("fault", f.fault().toString());
        m.put("nodes", nodes);
        m.put("atMs", f.at().toMillis());
        if (!f.fault().instant()) m.put("durationMs", f.duration().toMillis());
        return m;
    }
}
