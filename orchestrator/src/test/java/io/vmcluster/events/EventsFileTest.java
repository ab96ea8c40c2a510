package io.vmcluster.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventsFileTest {
    @TempDir
    Path dir;

    @Test
    void readsBackWhatTheSinkWrote() {
        Path file = dir.resolve("events.jsonl");
        Event a = new Event(
                Instant.parse("2026-12-01T10:00:00.123456789Z"),
                "fault.start",
                "node1",
                Map.of("fault", "f1", "params", Map.of("groups", List.of(List.of("node1"))), "applyMs", 1.5));
        Event b = new Event(Instant.parse("2026-12-01T10:00:01Z"), "run.end", null, Map.of("passed", true));
        try (JsonLinesEventSink sink = JsonLinesEventSink.open(file)) {
            sink.record(a);
            sink.record(b);
        }
        EventsFile read = EventsFile.read(file);
        assertThat(read.problems()).isEmpty();
        assertThat(read.events()).containsExactly(a, b);
    }

    @Test
    void aLineCutShortAtAnyByteIsOneProblemAndEveryWholeLineIsRead() throws Exception {
        String whole = "{\"time\":\"2026-12-01T10:00:00Z\",\"kind\":\"run.start\",\"scenario\":\"s\"}\n";
        String last = "{\"time\":\"2026-12-01T10:00:01Z\",\"kind\":\"test.start\",\"test\":\"t\"}";
        Path file = dir.resolve("cut.jsonl");
        for (int cut = 1; cut < last.length(); cut++) {
            Files.writeString(file, whole + last.substring(0, cut), StandardCharsets.UTF_8);
            EventsFile read = EventsFile.read(file);
            assertThat(read.events()).as("cut at %d", cut).hasSize(1);
            assertThat(read.problems()).as("cut at %d", cut).singleElement().satisfies(p -> {
                assertThat(p.line()).isEqualTo(2);
                assertThat(p.toString()).startsWith(file + ":2: ");
            });
        }
    }

    @Test
    void linesThatAreNotEventsSayWhyAndTheRestIsRead() throws Exception {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "[1,2]",
                        "{\"kind\":\"x\"}",
                        "{\"time\":\"yesterday\",\"kind\":\"x\"}",
                        "",
                        "{\"time\":\"2026-12-01T10:00:00Z\",\"kind\":\"log\",\"message\":\"hi\",\"gone\":null}"));
        EventsFile read = EventsFile.read(file);
        assertThat(read.events())
                .singleElement()
                .satisfies(e ->
                        assertThat(e.fields()).containsEntry("message", "hi").doesNotContainKey("gone"));
        assertThat(read.problems())
                .extracting(EventsFile.Problem::line, EventsFile.Problem::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, "not a JSON object"),
                        org.assertj.core.groups.Tuple.tuple(2, "an event needs \"time\" and \"kind\" as strings"),
                        org.assertj.core.groups.Tuple.tuple(
                                3, "\"time\" is 'yesterday', not an ISO-8601 instant like 2026-12-01T19:32:24Z"));
    }

    @Test
    void aMissingFileIsEmpty() {
        EventsFile read = EventsFile.read(dir.resolve("none.jsonl"));
        assertThat(read.events()).isEmpty();
        assertThat(read.problems()).isEmpty();
    }

    @Test
    void aFieldMayNotTakeTheNameOfTheEventsOwnKindTimeOrNode() {
        // events.jsonl writes them side by side: a fault's "kind" once replaced fault.start on disk
        assertThatThrownBy(() -> Event.now("fault.start", null, Map.of("kind", "partition")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'kind'");
        assertThatThrownBy(() -> Event.now("x", null, Map.of("node", "node1"))).hasMessageContaining("'node'");
    }
}
