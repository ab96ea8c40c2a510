package io.vmcluster.report;

import io.vmcluster.events.Event;
import io.vmcluster.events.JsonLinesEventSink;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events of a made-up but complete run, as the runner, the runtime and the fault API record
 * them: three nodes boot, node3 crashes and comes back, node1 is isolated for 20 s, the second
 * of two tests fails on node2. Times are seconds after {@link #T0}.
 */
public final class SampleRun {
    public static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final List<Event> events = new ArrayList<>();

    public static List<Event> events() {
        return new SampleRun().build();
    }

    /** Writes the sample's events.jsonl into {@code dir} (created) and returns the directory. */
    public static ResultsDirectory writeTo(Path dir) {
        ResultsDirectory d = new ResultsDirectory(dir).create();
        try (JsonLinesEventSink sink = JsonLinesEventSink.open(d.events())) {
            events().forEach(sink::record);
        }
        return d;
    }

    private List<Event> build() {
        at(
                0,
                "run.start",
                null,
                Map.of(
                        "scenario", "sample",
                        "file", "scenarios/sample.yaml",
                        "params", Map.of("jobq.mode", "replicated"),
                        "nodes", List.of("node1", "node2", "node3"),
                        "tests", List.of("formation", "partition <keeps> writing")));
        for (String n : List.of("node1", "node2", "node3")) {
            at(
                    1,
                    "node.state",
                    n,
                    Map.of(
                            "state",
                            "BOOTING",
                            "previous",
                            "NOT_STARTED",
                            "reason",
                            "QEMU started",
                            "accelerator",
                            "tcg"));
        }
        at(11, "node.state", "node1", Map.of("state", "READY", "previous", "BOOTING", "reason", "readiness line"));
        at(12, "node.state", "node2", Map.of("state", "READY", "previous", "BOOTING", "reason", "readiness line"));
        at(13, "node.state", "node3", Map.of("state", "READY", "previous", "BOOTING", "reason", "readiness line"));
        at(13, "cluster.ready", null, Map.of("ms", 13000));
        at(14, "test.start", null, Map.of("test", "formation"));
        step(14, 20, "formation", "wait for service jobq on all", "s.yaml:5:9", true, null);
        at(20, "log", null, Map.of("test", "formation", "message", "Raft leader: node3"));
        at(21, "test.end", null, Map.of("test", "formation", "status", "PASSED", "ms", 7000));
        at(22, "test.start", null, Map.of("test", "partition <keeps> writing"));
        at(22, "step.start", null, stepFields("partition <keeps> writing", "crash node3", "s.yaml:9:9"));
        at(22.5, "node.state", "node3", Map.of("state", "CRASHED", "previous", "READY", "reason", "killed"));
        at(23, "step.end", null, stepEnd("partition <keeps> writing", "crash node3", "s.yaml:9:9", true, 1000, null));
        at(23, "step.start", null, stepFields("partition <keeps> writing", "restart node3", "s.yaml:10:9"));
        at(23.5, "node.state", "node3", Map.of("state", "BOOTING", "previous", "CRASHED", "reason", "QEMU started"));
        at(33, "node.state", "node3", Map.of("state", "READY", "previous", "BOOTING", "reason", "readiness line"));
        at(
                33,
                "step.end",
                null,
                stepEnd("partition <keeps> writing", "restart node3", "s.yaml:10:9", true, 10000, null));
        at(34, "step.start", null, stepFields("partition <keeps> writing", "isolate node1", "s.yaml:11:9"));
        Map<String, Object> partition = new LinkedHashMap<>();
        partition.put("fault", "f1");
        partition.put("faultKind", "partition");
        partition.put("target", "[node1] | [node2, node3]");
        partition.put("method", "nftables-bridge");
        partition.put(
                "params",
                Map.of(
                        "groups", List.of(List.of("node1"), List.of("node2", "node3")),
                        "cuts", List.of("node1->node2", "node1->node3", "node2->node1", "node3->node1")));
        at(34.2, "fault.start", null, partition);
        at(
                34.3,
                "step.end",
                null,
                stepEnd("partition <keeps> writing", "isolate node1", "s.yaml:11:9", true, 300, null));
        at(
                36,
                "fault.instant",
                "node2",
                Map.of(
                        "fault",
                        "f2",
                        "faultKind",
                        "kill-process",
                        "target",
                        "node2",
                        "params",
                        Map.of("process", "etcd")));
        step(
                35,
                50,
                "partition <keeps> writing",
                "wait until on node2: curl -sf http://localhost:3020/queue/list",
                "s.yaml:12:9",
                false,
                "node2");
        at(
                54.2,
                "fault.end",
                null,
                Map.of(
                        "fault",
                        "f1",
                        "faultKind",
                        "partition",
                        "target",
                        "[node1] | [node2, node3]",
                        "durationMs",
                        20000));
        at(
                55,
                "test.end",
                null,
                Map.of(
                        "test",
                        "partition <keeps> writing",
                        "status",
                        "FAILED",
                        "ms",
                        33000,
                        "message",
                        "step failed at s.yaml:12:9: wait until on node2\n  reason:  timed out after 15 s\n"
                                + "  node:    node2\n  stdout:  <empty>"));
        for (String n : List.of("node1", "node2", "node3")) {
            at(56, "node.state", n, Map.of("state", "STOPPED", "previous", "READY", "reason", "shut down"));
        }
        at(57, "run.end", null, Map.of("passed", false, "ms", 57000));
        return events;
    }

    private void step(double from, double to, String test, String step, String at, boolean ok, String node) {
        at(from, "step.start", null, stepFields(test, step, at));
        at(to, "step.end", node, stepEnd(test, step, at, ok, (long) ((to - from) * 1000), ok ? null : "timed out"));
    }

    private static Map<String, Object> stepFields(String test, String step, String at) {
        return new LinkedHashMap<>(Map.of("test", test, "step", step, "at", at));
    }

    private static Map<String, Object> stepEnd(String test, String step, String at, boolean ok, long ms, String error) {
        Map<String, Object> f = stepFields(test, step, at);
        f.put("ok", ok);
        f.put("ms", ms);
        if (error != null) f.put("error", error);
        return f;
    }

    private void at(double seconds, String kind, String node, Map<String, Object> fields) {
        events.add(new Event(T0.plusMillis(Math.round(seconds * 1000)), kind, node, fields));
    }
}
