package io.vmcluster.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.events.Event;
import io.vmcluster.events.EventSink;
import io.vmcluster.time.Timing;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectableClusterTest {
    @TempDir
    Path dir;

    final List<String> done = Collections.synchronizedList(new ArrayList<>());
    final List<String> said = Collections.synchronizedList(new ArrayList<>());
    final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    final FakeApi api = new FakeApi(done);
    final EventSink sink = new EventSink() {
        @Override
        public void record(Event event) {
            events.add(event);
        }

        @Override
        public void close() {}
    };
    Supervisor supervisor;
    final java.util.concurrent.CountDownLatch paused = new java.util.concurrent.CountDownLatch(1);

    private Supervisor supervisor() {
        if (supervisor == null) {
            supervisor = Supervisor.open(
                    "c1",
                    dir.resolve("s.yaml"),
                    api,
                    () -> Map.of("node1", "PAUSED", "node2", "PAUSED"),
                    dir,
                    sink,
                    Timing.withMultiplier(1),
                    dir,
                    "running",
                    0);
        }
        return supervisor;
    }

    private InspectableCluster cluster(boolean keep, boolean pause) {
        return new InspectableCluster(api, keep, pause, this::supervisor, sink, lines -> {
            said.addAll(lines);
            if (lines.stream().anyMatch(l -> l.contains("resume all"))) paused.countDown();
        });
    }

    @Test
    void withoutEitherFlagAFailureChangesNothing() throws Exception {
        InspectableCluster c = cluster(false, false);
        c.copyServiceLogsAfterFailure("t");
        assertThat(c.continueAfterFailure("t")).isTrue();
        c.close();
        assertThat(done).containsExactly("close");
        assertThat(supervisor).as("no control socket was opened").isNull();
    }

    @Test
    void keepFailedStopsTheRunAndDefersTheCloseUntilRelease() throws Exception {
        InspectableCluster c = cluster(true, false);
        c.copyServiceLogsAfterFailure("t");
        assertThat(c.continueAfterFailure("t"))
                .as("the rest of the tests are skipped")
                .isFalse();
        assertThat(c.keptAfter()).isEqualTo("t");
        c.close();
        assertThat(done).as("the runner's close leaves it up").doesNotContain("close");
        c.release();
        assertThat(done).containsExactly("close");
    }

    @Test
    void pauseOnFailureFreezesEveryNodeAndWaitsForResumeAll() throws Exception {
        InspectableCluster c = cluster(false, true);
        CompletableFuture<Void> failing = CompletableFuture.runAsync(() -> c.copyServiceLogsAfterFailure("t"));
        // the run waits until someone types 'fault resume all'
        assertThat(paused.await(10, TimeUnit.SECONDS))
                .as("the run says it is paused")
                .isTrue();
        assertThat(done).containsExactly("PAUSE node1", "PAUSE node2");
        assertThat(failing).isNotDone();
        var fault = Control.request("fault");
        fault.putArray("words").add("resume").add("all");
        assertThat(Control.call(supervisor.live().socketPath(), fault)
                        .path("ok")
                        .asBoolean())
                .isTrue();
        failing.get(10, TimeUnit.SECONDS);
        assertThat(c.continueAfterFailure("t"))
                .as("after the resume the run goes on")
                .isTrue();
        assertThat(events).extracting(Event::kind).contains("run.paused", "run.resumed");
        supervisor.close();
    }

    @Test
    void downWhilePausedEndsTheRunWithTheNodesUnfrozen() throws Exception {
        InspectableCluster c = cluster(false, true);
        CompletableFuture<Void> failing = CompletableFuture.runAsync(() -> c.copyServiceLogsAfterFailure("t"));
        assertThat(paused.await(10, TimeUnit.SECONDS))
                .as("the run says it is paused")
                .isTrue();
        supervisor.control().requestDown();
        failing.get(10, TimeUnit.SECONDS);
        assertThat(c.continueAfterFailure("t")).isFalse();
        assertThat(done).contains("RESUME node1", "RESUME node2");
        supervisor.close();
    }
}
