package io.vmcluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmcluster.events.Event;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.qemu.QemuProcess;
import io.vmcluster.qemu.StandInQemu;
import io.vmcluster.qmp.QmpEvent;
import io.vmcluster.time.Wait;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node states from typed QMP events and process exits; the "QEMU" is a script started like QEMU. */
class NodeStateMachineTest {
    @TempDir
    Path dir;

    final List<Event> events = new CopyOnWriteArrayList<>();
    final NodeStateMachine states = new NodeStateMachine("node1", events::add);
    QemuProcess qemu;

    @AfterEach
    void stop() {
        if (qemu != null && qemu.isAlive()) {
            qemu.kill();
        }
    }

    private QemuProcess start(String script) throws Exception {
        qemu = StandInQemu.startScript(dir, script, Accelerator.KVM);
        return qemu;
    }

    private static QmpEvent event(String name, String data) throws Exception {
        return new QmpEvent(name, new ObjectMapper().readTree(data), Instant.now());
    }

    private List<String> states() {
        return events.stream()
                .filter(e -> e.kind().equals("node.state"))
                .map(e -> String.valueOf(e.fields().get("state")))
                .toList();
    }

    private void awaitState(NodeState state) {
        Wait.forCondition("node1 to be " + state)
                .atMost(Duration.ofSeconds(10))
                .untilTrue(() -> states.state() == state);
    }

    @Test
    void qmpEventsAndTheReadinessLineDriveTheStates() throws Exception {
        QemuProcess q = start("exec sleep 60");
        states.started(q, false);
        states.qmpEvent(event("STOP", "{}"));
        states.qmpEvent(event("RESUME", "{}"));
        states.ready();
        states.qmpEvent(event("STOP", "{}"));
        states.qmpEvent(event("RESUME", "{}"));
        states.qmpEvent(event("NIC_RX_FILTER_CHANGED", "{\"name\": \"nic0\"}"));
        states.qmpEvent(event("RESET", "{\"guest\": false, \"reason\": \"host-qmp-system-reset\"}"));
        states.qmpEvent(event("SHUTDOWN", "{\"guest\": true, \"reason\": \"guest-shutdown\"}"));
        q.kill();
        awaitState(NodeState.STOPPED);
        assertThat(states())
                .as("a RESUME before readiness is BOOTING, after it READY; unknown events change nothing")
                .containsExactly(
                        "BOOTING", "PAUSED", "BOOTING", "READY", "PAUSED", "READY", "BOOTING", "STOPPING", "STOPPED");
        assertThat(events.get(0).fields()).containsEntry("accelerator", "kvm");
        assertThat(events.get(6).fields()).containsEntry("qmpReason", "host-qmp-system-reset");
    }

    @Test
    void anUnexpectedExitIsACrashWithQemusWords() throws Exception {
        QemuProcess q = start("sleep 0.2; echo 'qemu: something broke' >&2; exit 1");
        states.started(q, false);
        awaitState(NodeState.CRASHED);
        Event crashed = events.get(events.size() - 1);
        assertThat(crashed.fields()).containsEntry("exitCode", 1).containsEntry("reason", "QEMU exited");
        assertThat(String.valueOf(crashed.fields().get("stderr"))).contains("something broke");
    }

    @Test
    void aForgottenKvmTrialsExitIsNoCrashOfTheNode() throws Exception {
        QemuProcess q = start("exit 134");
        states.started(q, true);
        q.onExit().get();
        states.forget(q);
        assertThat(states()).containsExactly("BOOTING");
        assertThat(states.state()).isEqualTo(NodeState.BOOTING);
    }

    @Test
    void aConfirmedTrialsEarlierExitIsReportedOnConfirmation() throws Exception {
        QemuProcess q = start("exit 3");
        states.started(q, true);
        q.onExit().get();
        assertThat(states.state()).as("not yet: it may still be discarded").isEqualTo(NodeState.BOOTING);
        states.confirm(q);
        awaitState(NodeState.CRASHED);
    }
}
