package io.vmcluster.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.events.Event;
import io.vmcluster.events.EventKind;
import io.vmcluster.events.EventSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryWriterTest {
    @TempDir
    Path dir;

    @Test
    void stamps_dense_indexes_and_times_from_its_own_origin_and_flushes_every_line() throws Exception {
        AtomicLong clock = new AtomicLong(1_000);
        Path file = dir.resolve("history.jsonl");
        try (HistoryWriter w = HistoryWriter.open(file, clock::get)) {
            clock.set(1_500);
            Op inv = w.invoke(0, OpFunction.WRITE, null, Values.of(3), "node1");
            assertThat(inv.index()).isZero();
            assertThat(inv.time()).isEqualTo(500);
            assertThat(Files.readAllLines(file))
                    .as("the invocation is on disk before the request is sent")
                    .containsExactly(
                            "{\"index\":0,\"time\":500,\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"value\":3,\"node\":\"node1\"}");
            clock.set(2_000);
            w.probe("node2", OpFunction.LEADER_STATUS, Values.object("term", 2, "leader", "node1"), null);
            Op ok = w.ok(inv, Values.of(3));
            assertThat(ok.index()).isEqualTo(1);
            assertThat(HistoryReader.read(file).entries()).isEqualTo(w.history().entries());
        }
    }

    @Test
    void refuses_what_would_make_the_history_meaningless() {
        try (HistoryWriter w = HistoryWriter.open(dir.resolve("h.jsonl"))) {
            Op a = w.invoke(0, OpFunction.WRITE, null, Values.of(1), null);
            assertThatThrownBy(() -> w.invoke(0, OpFunction.READ, null, Values.NULL, null))
                    .hasMessageContaining("still open");
            w.info(a, "timeout");
            assertThat(w.crashed(0)).isTrue();
            assertThatThrownBy(() -> w.ok(a, Values.of(1))).hasMessageContaining("no open invocation");
            assertThatThrownBy(() -> w.invoke(0, OpFunction.READ, null, Values.NULL, null))
                    .hasMessageContaining("never reused after info");
            assertThatThrownBy(() -> w.complete(a, OpType.INVOKE, Values.NULL, null))
                    .hasMessageContaining("ok, fail or info");
        }
    }

    @Test
    void many_client_threads_give_a_history_in_real_time_order() throws Exception {
        Path file = dir.resolve("h.jsonl");
        int clients = 8;
        int perClient = 300;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try (HistoryWriter w = HistoryWriter.open(file)) {
            ProcessIds ids = new ProcessIds(clients);
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perClient; i++) {
                        Op inv = w.invoke(
                                ids.process(client), OpFunction.ADD, null, Values.of(client * 1000L + i), null);
                        if (i % 50 == 49) {
                            w.info(inv, "timeout");
                            ids.replace(client);
                        } else {
                            w.ok(inv, inv.value());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        History h = HistoryReader.read(file);
        assertThat(h.ops()).hasSize(clients * perClient * 2);
        assertThat(h.operations()).allMatch(o -> o.completion() != null);
        assertThat(h.operations().stream()
                        .mapToLong(Operation::process)
                        .distinct()
                        .count())
                .as("a new process after every info")
                .isEqualTo(clients * (perClient / 50)); // the last op of each client is an info
    }

    @Test
    void records_the_workload_start_at_time_zero_in_the_run_events() {
        List<Event> events = new ArrayList<>();
        EventSink sink = events::add;
        try (HistoryWriter w =
                HistoryWriter.open(dir.resolve("h.jsonl"), sink, Map.of("workload", "w1", "history", "h.jsonl"))) {
            assertThat(w.now()).isGreaterThanOrEqualTo(0);
        }
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(EventKind.WORKLOAD_START.wireName());
            assertThat(e.fields()).containsEntry("history", "h.jsonl");
        });
        assertThatThrownBy(() -> HistoryWriter.open(dir.resolve("x.jsonl"), sink, Map.of()))
                .hasMessageContaining("'history'");
    }

    @Test
    void process_ids_follow_jepsen() {
        ProcessIds ids = new ProcessIds(3);
        assertThat(ids.process(2)).isEqualTo(2);
        assertThat(ids.replace(2)).isEqualTo(5);
        assertThat(ids.replace(2)).isEqualTo(8);
        assertThat(ids.process(0)).isZero();
        assertThatThrownBy(() -> ids.process(3)).hasMessageContaining("0..2");
    }
}
