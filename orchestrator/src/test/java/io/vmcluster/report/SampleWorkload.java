package io.vmcluster.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vmcluster.checker.CheckResults;
import io.vmcluster.checker.Checkers;
import io.vmcluster.checker.FaultWindows;
import io.vmcluster.events.Event;
import io.vmcluster.events.EventKind;
import io.vmcluster.events.EventsFile;
import io.vmcluster.events.JsonLinesEventSink;
import io.vmcluster.history.History;
import io.vmcluster.history.HistoryWriter;
import io.vmcluster.history.Op;
import io.vmcluster.history.OpFunction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A set workload on {@link SampleRun}'s cluster, written the way a run writes it: history.jsonl
 * through {@link HistoryWriter} (on a made-up clock), a {@code workload.start} event in
 * events.jsonl, and checks.json from the real checkers. It runs from 20 s to 55 s of the run;
 * node3 leads in term 2, node1 (isolated from 34.2 s to 54.2 s) answers its clients with failures
 * and timeouts and knows no leader, node2's etcd is killed at 36 s and does not answer probes for
 * 4 s. One acknowledged add (value 7) is missing from the final read, so the set checker is invalid.
 */
public final class SampleWorkload {
    /** Run time (seconds) at which the workload's clock reads 0. */
    public static final double START = 20;

    static final double LENGTH = 35;
    private static final JsonNodeFactory J = JsonNodeFactory.instance;

    private SampleWorkload() {}

    /**
     * Writes the sample run with a workload of {@code ops} operations (the last a final read) by
     * {@code clients} clients into {@code dir}.
     */
    public static ResultsDirectory writeTo(Path dir, int ops, int clients) {
        ResultsDirectory d = new ResultsDirectory(dir).create();
        List<Event> events = new ArrayList<>(SampleRun.events());
        events.add(new Event(
                SampleRun.T0.plusMillis(Math.round(START * 1000)),
                EventKind.WORKLOAD_START.wireName(),
                null,
                Map.of(
                        "workload",
                        "set",
                        "history",
                        "history.jsonl",
                        "clients",
                        clients,
                        "checkers",
                        List.of("set", "stats", "single-leader-per-term"))));
        events.sort(java.util.Comparator.comparing(Event::time));
        try (JsonLinesEventSink sink = JsonLinesEventSink.open(d.events())) {
            events.forEach(sink::record);
        }
        History h = history(d.root().resolve("history.jsonl"), ops, clients);
        FaultWindows faults =
                FaultWindows.fromEvents(EventsFile.read(d.events()).events(), "history.jsonl", "events.jsonl");
        CheckResults.run(
                        "history.jsonl",
                        h,
                        faults,
                        Checkers.parseAll(List.of("set", "stats", "single-leader-per-term")))
                .write(CheckResults.fileBeside(d.root().resolve("history.jsonl")));
        return d;
    }

    private static History history(Path file, int ops, int clients) {
        long[] now = {0};
        Random random = new Random(16);
        long lengthNs = (long) (LENGTH * 1e9);
        long partitionFrom = (long) ((34.2 - START) * 1e9);
        long partitionTo = (long) ((54.2 - START) * 1e9);
        long killAt = (long) ((36 - START) * 1e9);
        List<String> nodes = List.of("node1", "node2", "node3");
        List<Integer> acked = new ArrayList<>();
        try (HistoryWriter w = HistoryWriter.open(file, () -> now[0])) {
            long gap = Math.max(1, (lengthNs - 2_000_000_000L) / Math.max(1, ops));
            long nextProbe = 0;
            long[] process = new long[clients];
            for (int c = 0; c < clients; c++) process[c] = c;
            int value = 0;
            for (int i = 0; i < ops - 1; i++) {
                long t = i * gap;
                while (nextProbe <= t) {
                    now[0] = Math.max(now[0], nextProbe);
                    probes(w, nextProbe, partitionFrom, partitionTo, killAt);
                    nextProbe += 1_000_000_000L;
                }
                int c = value % clients;
                String node = nodes.get(c % 3);
                now[0] = t;
                Op inv = w.invoke(process[c], OpFunction.ADD, null, J.numberNode(value), node);
                long latency = 2_000_000 + (long) (random.nextDouble() * random.nextDouble() * 40_000_000);
                boolean cut = node.equals("node1") && t >= partitionFrom && t < partitionTo;
                now[0] = t + Math.min(latency, gap - 1);
                if (cut && value % 2 == 0) {
                    w.fail(inv, "HTTP 503: no leader");
                } else if (cut) {
                    w.info(inv, "timed out after 1 s");
                    process[c] += clients;
                } else {
                    w.ok(inv, J.numberNode(value));
                    acked.add(value);
                }
                value++;
            }
            now[0] = lengthNs - 1_000_000_000L;
            Op read = w.invoke(process[0], OpFunction.READ, null, null, "node3");
            now[0] = lengthNs - 900_000_000L;
            ArrayNode all = J.arrayNode();
            acked.stream().filter(v -> v != 7).forEach(all::add);
            w.ok(read, all);
            return w.history();
        }
    }

    private static void probes(HistoryWriter w, long t, long partitionFrom, long partitionTo, long killAt) {
        for (String node : List.of("node1", "node2", "node3")) {
            if (node.equals("node2") && t >= killAt && t < killAt + 4_000_000_000L) {
                w.probe(node, OpFunction.LEADER_STATUS, null, "exit 1: connection refused");
                continue;
            }
            boolean isolated = node.equals("node1") && t >= partitionFrom && t < partitionTo;
            JsonNode v = new ObjectMapper().createObjectNode().put("term", 2).put("leader", isolated ? null : "node3");
            w.probe(node, OpFunction.LEADER_STATUS, v, null);
        }
    }
}
