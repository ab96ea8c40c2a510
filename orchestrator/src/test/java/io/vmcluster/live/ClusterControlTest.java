package io.vmcluster.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmcluster.events.Event;
import io.vmcluster.events.EventSink;
import io.vmcluster.scenario.run.ClusterApi;
import io.vmcluster.time.Timing;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterControlTest {
    @TempDir
    Path results;

    final List<String> done = Collections.synchronizedList(new ArrayList<>());
    final List<Event> events = Collections.synchronizedList(new ArrayList<>());

    final ClusterApi cluster = new FakeApi(done);

    final EventSink sink = new EventSink() {
        @Override
        public void record(Event event) {
            events.add(event);
        }

        @Override
        public void close() {}
    };

    final ClusterControl control = new ClusterControl(
            "c1", cluster, () -> Map.of("node1", "READY", "node2", "PAUSED"), sink, Timing.withMultiplier(1), results);

    private JsonNode ask(ObjectNode request) throws Exception {
        return control.handle(request, null);
    }

    private ObjectNode fault(String... words) {
        ObjectNode r = Control.request("fault");
        var a = r.putArray("words");
        for (String w : words) a.add(w);
        return r;
    }

    @Test
    void execAnswersTheExitCodeAndTheBytesOfBothStreams() throws Exception {
        JsonNode r = ask(Control.request("exec").put("node", "node2").put("command", "ls /"));
        assertThat(r.path("ok").asBoolean()).isTrue();
        assertThat(r.path("exit").asInt()).isEqualTo(3);
        assertThat(Base64.getDecoder().decode(r.path("stdout").asText()))
                .as("binary output is passed through byte for byte")
                .containsExactly('o', 0, (byte) 0xff);
        assertThat(Base64.getDecoder().decode(r.path("stderr").asText())).containsExactly('e');
        assertThat(done).containsExactly("node2$ ls /");
        assertThat(events).anySatisfy(e -> assertThat(e.kind()).isEqualTo("command"));
    }

    @Test
    void execOnAnUnknownNodeIsInvalidInputNamingTheClusterAndItsNodes() throws Exception {
        JsonNode r = ask(Control.request("exec").put("node", "node3").put("command", "true"));
        assertThat(r.path("code").asInt()).isEqualTo(2);
        assertThat(r.path("error").asText())
                .isEqualTo("cluster 'c1' has no node 'node3'; did you mean 'node1'?; its nodes are node1, node2");
        assertThat(done).isEmpty();
    }

    @Test
    void aFaultVerbRunsAsAScenarioStep() throws Exception {
        assertThat(ask(fault("isolate", "node1")).path("ok").asBoolean()).isTrue();
        assertThat(ask(fault("heal")).path("done").asText()).isEqualTo("heal");
        assertThat(ask(fault("pause", "all")).path("ok").asBoolean()).isTrue();
        assertThat(done).contains("heal", "PAUSE node1", "PAUSE node2");
        assertThat(done.get(0)).startsWith("fault ").contains("node1");
        assertThat(events).anySatisfy(e -> assertThat(e.kind()).isEqualTo("step.end"));
    }

    @Test
    void aBadVerbIsInvalidInputAndRunsNothing() throws Exception {
        JsonNode r = ask(fault("crash", "node7"));
        assertThat(r.path("code").asInt()).isEqualTo(2);
        assertThat(r.path("error").asText()).contains("unknown node 'node7'");
        assertThat(done).isEmpty();
    }

    @Test
    void aStepThatFailsIsExit1WithTheReason() throws Exception {
        JsonNode r = ask(fault("start", "node1"));
        assertThat(r.path("code").asInt()).isEqualTo(1);
        assertThat(r.path("error").asText()).contains("cluster 'c1'").contains("node1 is not stopped");
    }

    @Test
    void statusListsTheNodesStates() throws Exception {
        JsonNode r = ask(Control.request("status"));
        assertThat(r.path("state").asText()).isEqualTo("ready");
        assertThat(r.path("nodes").path("node2").asText()).isEqualTo("PAUSED");
    }

    @Test
    void resumeAllWakesARunPausedOnAFailure() throws Exception {
        Thread t = new Thread(() -> {
            try {
                ask(fault("resume", "all"));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        t.start();
        assertThat(control.awaitResumeOrDown()).isTrue();
        t.join();
        control.requestDown();
        assertThat(control.awaitResumeOrDown())
                .as("after down the run does not go on")
                .isFalse();
    }
}
