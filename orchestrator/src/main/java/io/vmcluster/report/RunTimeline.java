package io.vmcluster.report;

import io.vmcluster.cluster.NodeState;
import io.vmcluster.events.Event;
import io.vmcluster.events.EventKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a run looked like over time, from its events alone: each node's states from start to end,
 * each fault from start to end, and the marks worth drawing (log lines, accelerator fallbacks).
 * The report's timeline is drawn from it; nothing here asks a cluster for anything.
 *
 * @param origin time zero of the run (its {@code run.start}, else its first event)
 * @param end the run's last event
 * @param facts what the run was: scenario, file, params, nodes
 * @param states per node, in the run's node order, its states in time order
 * @param faults every fault, in the order they started
 * @param marks single moments worth showing
 */
public record RunTimeline(
        Instant origin,
        Instant end,
        RunFacts facts,
        Map<String, List<NodeSpan>> states,
        List<FaultSpan> faults,
        List<Mark> marks) {
    /** What separates node names in a fault's target and links ({@code [node1] | [node2, node3]}, {@code a->b}). */
    /** Fault kinds without a duration, as older files name them. */
    private static final Set<String> INSTANT_KINDS = Set.of("reset", "kill-process");

    private static final Pattern TOKEN_GAP = Pattern.compile("[^A-Za-z0-9_.-]+");

    public RunTimeline {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(end, "end");
        states = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(states));
        faults = List.copyOf(faults);
        marks = List.copyOf(marks);
    }

    /** The nodes in the run's order. */
    public List<String> nodes() {
        return List.copyOf(states.keySet());
    }

    /** How long the run lasted, origin to last event. */
    public Duration duration() {
        return Duration.between(origin, end);
    }

    /**
     * One stretch of a node in one state.
     *
     * @param state the state
     * @param from when it entered it
     * @param to when it left it (the run's end if it never did)
     * @param reason why, as the runtime said
     * @param accelerator the accelerator QEMU ran with, or null
     */
    public record NodeSpan(NodeState state, Instant from, Instant to, String reason, String accelerator) {}

    /**
     * One fault from start to end.
     *
     * @param id the fault's id in the run ({@code f3})
     * @param kind its kind ({@code partition}, {@code crash}, ...)
     * @param target what it was applied to, as recorded
     * @param params its parameters
     * @param method how it was applied ({@code nftables-bridge}), or null
     * @param from when it took effect
     * @param to when it was undone; null while it was still in effect at the end
     * @param instant whether it has no duration (a reset, a killed process)
     * @param error why applying it failed, or null
     * @param nodes the nodes it concerns (named by its node, target or cut links)
     */
    public record FaultSpan(
            String id,
            String kind,
            String target,
            Map<String, Object> params,
            String method,
            Instant from,
            Instant to,
            boolean instant,
            String error,
            Set<String> nodes) {
        /** {@code kind target}, as a person reads it. */
        public String label() {
            return target == null || target.isEmpty() ? kind : kind + " " + target;
        }

        /** When it ended, or {@code end} when it was still in effect. */
        public Instant toOr(Instant end) {
            return to != null ? to : instant ? from : end;
        }
    }

    /**
     * A moment: a log line, a fallback from KVM to TCG, the cluster becoming ready.
     *
     * @param at when
     * @param node the node concerned, or null
     * @param kind the event kind
     * @param text what to show
     */
    public record Mark(Instant at, String node, String kind, String text) {}

    /**
     * The run's identity, for the page's header.
     *
     * @param scenario the scenario's name, or null
     * @param file the scenario file, or null
     * @param params the params the run used
     * @param seed the run's seed, when it had one
     * @param clusterReadyAt when the cluster was ready, or null
     * @param error a run-level failure, or null
     */
    public record RunFacts(
            String scenario,
            String file,
            Map<String, String> params,
            String seed,
            Instant clusterReadyAt,
            String error) {}

    /** Builds the timeline from a run's events (in any order). */
    public static RunTimeline of(List<Event> events) {
        List<Event> sorted =
                new ArrayList<>(events.stream().map(RunTimeline::legacyFault).toList());
        sorted.sort(Comparator.comparing(Event::time)); // threads record slightly out of order
        Instant origin = null;
        Instant end = null;
        List<String> nodeOrder = new ArrayList<>();
        Map<String, List<NodeSpan>> states = new LinkedHashMap<>();
        Map<String, FaultSpan> faults = new LinkedHashMap<>();
        List<Mark> marks = new ArrayList<>();
        String scenario = null;
        String file = null;
        String seed = null;
        String error = null;
        Instant ready = null;
        Map<String, String> params = new TreeMap<>();
        for (Event e : sorted) {
            end = e.time();
            if (origin == null) origin = e.time();
            Map<String, Object> f = e.fields();
            switch (e.type()) {
                case RUN_START -> {
                    origin = e.time();
                    scenario = text(f.get("scenario"));
                    file = text(f.get("file"));
                    seed = text(f.get("seed"));
                    if (f.get("params") instanceof Map<?, ?> m) {
                        m.forEach((k, v) -> params.put(String.valueOf(k), String.valueOf(v)));
                    }
                    if (f.get("nodes") instanceof List<?> l) {
                        l.forEach(n -> addNode(nodeOrder, String.valueOf(n)));
                    }
                }
                case CLUSTER_START -> {
                    if (f.get("nodes") instanceof List<?> l) {
                        l.forEach(n -> addNode(nodeOrder, String.valueOf(n)));
                    }
                }
                case CLUSTER_READY -> {
                    if (ready == null) {
                        ready = e.time();
                        marks.add(new Mark(e.time(), null, e.kind(), "cluster ready"));
                    }
                }
                case CLUSTER_FAILED -> error = text(f.get("error"));
                case RUN_END -> {
                    if (f.get("error") != null) error = text(f.get("error"));
                }
                case NODE_STATE -> nodeState(e, nodeOrder, states);
                case NODE_ACCEL_FALLBACK ->
                    marks.add(new Mark(e.time(), e.node(), e.kind(), "falls back from KVM to TCG: " + f.get("reason")));
                case LOG -> marks.add(new Mark(e.time(), e.node(), e.kind(), String.valueOf(f.get("message"))));
                case FAULT_START, FAULT_INSTANT, FAULT_ERROR -> {
                    FaultSpan s = faultStart(e, nodeOrder);
                    faults.put(s.id() + "@" + faults.size(), s);
                }
                case FAULT_END -> faultEnd(e, faults);
                default -> {}
            }
        }
        if (origin == null) {
            origin = Instant.EPOCH;
            end = Instant.EPOCH;
        }
        Map<String, List<NodeSpan>> ordered = new LinkedHashMap<>();
        for (String n : nodeOrder) {
            List<NodeSpan> spans = states.getOrDefault(n, List.of());
            List<NodeSpan> closed = new ArrayList<>();
            for (int i = 0; i < spans.size(); i++) {
                NodeSpan s = spans.get(i);
                Instant to = i + 1 < spans.size() ? spans.get(i + 1).from() : end;
                closed.add(new NodeSpan(s.state(), s.from(), to, s.reason(), s.accelerator()));
            }
            ordered.put(n, closed);
        }
        return new RunTimeline(
                origin,
                end,
                new RunFacts(scenario, file, params, seed, ready, error),
                ordered,
                new ArrayList<>(faults.values()),
                marks);
    }

    /**
     * Files written before fault events kept their kind lost it to the fault's own {@code kind}
     * field (a line said {@code "kind":"partition"}): such an event is recognised by its fault id
     * and what it measured, so the page of an older run still shows its faults.
     */
    private static Event legacyFault(Event e) {
        Map<String, Object> f = e.fields();
        if (e.kind().startsWith("fault.") || !f.containsKey("fault") || f.containsKey("faultKind")) {
            return e;
        }
        String kind;
        if (f.containsKey("error")) kind = EventKind.FAULT_ERROR.wireName();
        else if (f.containsKey("undoMs") || f.containsKey("durationMs")) kind = EventKind.FAULT_END.wireName();
        else if (!f.containsKey("applyMs")) return e;
        else if (INSTANT_KINDS.contains(e.kind())) kind = EventKind.FAULT_INSTANT.wireName();
        else kind = EventKind.FAULT_START.wireName();
        Map<String, Object> fields = new LinkedHashMap<>(f);
        fields.put("faultKind", e.kind());
        return new Event(e.time(), kind, e.node(), fields);
    }

    private static void addNode(List<String> order, String node) {
        if (!order.contains(node)) order.add(node);
    }

    private static void nodeState(Event e, List<String> order, Map<String, List<NodeSpan>> states) {
        if (e.node() == null) return;
        addNode(order, e.node());
        NodeState state;
        try {
            state = NodeState.valueOf(String.valueOf(e.fields().get("state")).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            return; // a state this version does not know: leave the lane as it was
        }
        List<NodeSpan> spans = states.computeIfAbsent(e.node(), k -> new ArrayList<>());
        if (!spans.isEmpty() && spans.get(spans.size() - 1).state() == state) return;
        spans.add(new NodeSpan(
                state,
                e.time(),
                null,
                text(e.fields().get("reason")),
                text(e.fields().get("accelerator"))));
    }

    private static FaultSpan faultStart(Event e, List<String> nodes) {
        Map<String, Object> f = e.fields();
        Map<String, Object> params = f.get("params") instanceof Map<?, ?> m ? stringKeys(m) : Map.of();
        return new FaultSpan(
                String.valueOf(f.getOrDefault("fault", "?")),
                String.valueOf(f.getOrDefault("faultKind", "fault")),
                text(f.get("target")),
                params,
                text(f.get("method")),
                e.time(),
                null,
                !e.is(EventKind.FAULT_START),
                text(f.get("error")),
                concerned(e, params, nodes));
    }

    private static void faultEnd(Event e, Map<String, FaultSpan> faults) {
        String id = String.valueOf(e.fields().get("fault"));
        // the newest open span with this id
        String key = null;
        for (Map.Entry<String, FaultSpan> entry : faults.entrySet()) {
            FaultSpan s = entry.getValue();
            if (s.id().equals(id) && s.to() == null && !s.instant()) key = entry.getKey();
        }
        if (key == null) return;
        FaultSpan s = faults.get(key);
        faults.put(
                key,
                new FaultSpan(
                        s.id(),
                        s.kind(),
                        s.target(),
                        s.params(),
                        s.method(),
                        s.from(),
                        e.time(),
                        false,
                        s.error(),
                        s.nodes()));
    }

    /**
     * The nodes a fault concerns: its node; for a partition into groups of different sizes, the
     * nodes of the smallest groups (the side cut off: {@code isolate node1} marks node1 only);
     * otherwise every node its target or cut links name.
     */
    private static Set<String> concerned(Event e, Map<String, Object> params, List<String> nodes) {
        Set<String> out = new LinkedHashSet<>();
        if (params.get("groups") instanceof List<?> groups && groups.size() > 1) {
            int smallest = Integer.MAX_VALUE;
            int largest = 0;
            for (Object g : groups) {
                int n = g instanceof List<?> l ? l.size() : 0;
                smallest = Math.min(smallest, n);
                largest = Math.max(largest, n);
            }
            if (smallest < largest) {
                for (Object g : groups) {
                    if (g instanceof List<?> l && l.size() == smallest) l.forEach(n -> out.add(String.valueOf(n)));
                }
                return out;
            }
        }
        if (e.node() != null) out.add(e.node());
        StringBuilder text = new StringBuilder(String.valueOf(e.fields().get("target")));
        if (params.get("cuts") instanceof List<?> cuts)
            cuts.forEach(c -> text.append(' ').append(c));
        for (String token : TOKEN_GAP.split(text.toString().replace("->", " "))) {
            if (nodes.contains(token)) out.add(token);
        }
        return out;
    }

    private static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (v != null) out.put(String.valueOf(k), v);
        });
        return out;
    }

    private static String text(Object o) {
        return o == null ? null : o.toString();
    }
}
