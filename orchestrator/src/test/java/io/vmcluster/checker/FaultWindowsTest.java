package io.vmcluster.checker;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.events.Event;
import io.vmcluster.events.EventKind;
import io.vmcluster.events.JsonLinesEventSink;
import io.vmcluster.history.HistoryWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultWindowsTest {
    @TempDir
    Path dir;

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private void write(Path events, Event... es) {
        try (JsonLinesEventSink sink = JsonLinesEventSink.open(events)) {
            for (Event e : es) {
                sink.record(e);
            }
        }
    }

    private static Event at(double seconds, String kind, String node, Map<String, Object> fields) {
        return new Event(T0.plusNanos(Math.round(seconds * 1e9)), kind, node, fields);
    }

    @Test
    void places_faults_on_the_history_clock_from_the_workload_start() throws Exception {
        Path events = dir.resolve("events.jsonl");
        write(
                events,
                at(
                        1,
                        "fault.start",
                        "node9",
                        Map.of("fault", "f1", "faultKind", "crash", "target", "node9", "applyMs", 5.0)),
                at(2, "workload.start", null, Map.of("workload", "w", "history", "history.jsonl")),
                at(
                        4,
                        "fault.start",
                        null,
                        Map.of(
                                "fault",
                                "f2",
                                "faultKind",
                                "partition",
                                "target",
                                "[node1] | [node2, node3]",
                                "params",
                                Map.of("shape", "majority-minority"),
                                "applyMs",
                                250.0)),
                at(6, "fault.end", null, Map.of("fault", "f2", "faultKind", "partition", "target", "x")),
                at(
                        7,
                        "fault.instant",
                        "node2",
                        Map.of("fault", "f3", "faultKind", "reset", "target", "node2", "applyMs", 0)),
                at(8, "fault.error", "node2", Map.of("fault", "f4", "faultKind", "pause", "target", "node2")));
        assertThat(Files.readString(events))
                .as("the event kind is not overwritten by the fault's kind")
                .contains("\"kind\":\"fault.start\"", "\"faultKind\":\"partition\"");
        FaultWindows w = FaultWindows.read(events, "history.jsonl");
        assertThat(w.note()).isNull();
        assertThat(w.all()).extracting(FaultWindow::id).containsExactly("f1", "f2", "f3");
        FaultWindow crash = w.all().get(0);
        assertThat(crash.start()).isEqualTo(-1_005_000_000L);
        assertThat(crash.neverEnded()).isTrue();
        FaultWindow partition = w.all().get(1);
        assertThat(partition.start()).isEqualTo(1_750_000_000L);
        assertThat(partition.end()).isEqualTo(4_000_000_000L);
        assertThat(partition.describe()).isEqualTo("partition majority-minority [node1] | [node2, node3]");
        assertThat(w.all().get(2).instantaneous()).isTrue();
        assertThat(w.during(3_000_000_000L))
                .isEqualTo(", during crash node9 and partition majority-minority [node1] | [node2, node3]");
    }

    @Test
    void without_a_matching_workload_start_there_are_no_windows_and_a_note_says_why() {
        Path events = dir.resolve("events.jsonl");
        write(events, at(2, "workload.start", null, Map.of("workload", "w", "history", "other.jsonl")));
        FaultWindows w = FaultWindows.read(events, "history.jsonl");
        assertThat(w.all()).isEmpty();
        assertThat(w.note()).contains("has no workload.start event for history.jsonl");
        assertThat(FaultWindows.read(dir.resolve("missing.jsonl"), null).note()).startsWith("no ");
        assertThat(w.during(5)).isEmpty();
    }

    @Test
    void a_history_writer_and_its_events_line_up() {
        Path events = dir.resolve("events.jsonl");
        try (JsonLinesEventSink sink = JsonLinesEventSink.open(events);
                HistoryWriter h = HistoryWriter.open(
                        dir.resolve("history.jsonl"), sink, Map.of("workload", "w", "history", "history.jsonl"))) {
            sink.record(
                    EventKind.FAULT_START,
                    "node1",
                    Map.of("fault", "f1", "faultKind", "pause", "target", "node1", "applyMs", 0));
            long now = h.now();
            FaultWindow f = FaultWindows.read(events, "history.jsonl").all().get(0);
            assertThat(f.start())
                    .as("within 50 ms of the history clock")
                    .isBetween(now - 50_000_000L, now + 1_000_000L);
        }
        assertThat(List.of()).isEmpty();
    }
}
