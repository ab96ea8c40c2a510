package io.vmcluster.scenario.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.checker.FaultWindows;
import io.vmcluster.command.CommandResult;
import io.vmcluster.events.Event;
import io.vmcluster.events.EventKind;
import io.vmcluster.fault.FaultCluster;
import io.vmcluster.fault.Faults;
import io.vmcluster.scenario.step.LifecycleStep.Action;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lifecycle and service steps' fault windows, as checkers read them from the events. */
class StepWindowsTest {
    final List<Event> events = new CopyOnWriteArrayList<>();
    final List<String> done = new ArrayList<>();

    @TempDir
    Path runDir;

    Faults faults;
    StepWindows windows;

    @BeforeEach
    void setUp() {
        faults = new Faults(
                new FaultCluster(
                        "c1",
                        List.of(),
                        (argv, stdin, timeout) -> CommandResult.ofText("ns", "", 0, "", "", Duration.ZERO),
                        runDir),
                events::add);
        windows = new StepWindows(faults);
        events.add(Event.now(EventKind.WORKLOAD_START.wireName(), null, Map.of("history", "history.jsonl")));
    }

    private void step(String node, Action a) {
        windows.lifecycle(node, a, () -> done.add(a + " " + node));
    }

    private List<String> windows() {
        return FaultWindows.fromEvents(events, "history.jsonl", "test").all().stream()
                .map(w -> w.describe() + (w.neverEnded() ? " (open)" : ""))
                .toList();
    }

    private List<String> kinds() {
        return events.stream()
                .skip(1)
                .map(e -> e.kind() + " " + e.fields().get("faultKind") + " " + e.node())
                .toList();
    }

    @Test
    void pause_until_resume_and_crash_until_restart() {
        step("node1", Action.PAUSE);
        step("node1", Action.RESUME);
        step("node2", Action.CRASH);
        assertThat(windows()).containsExactly("pause node1", "crash node2 (open)");
        step("node2", Action.RESTART);
        assertThat(done).containsExactly("PAUSE node1", "RESUME node1", "CRASH node2", "RESTART node2");
        assertThat(kinds())
                .containsExactly(
                        "fault.start pause node1",
                        "fault.end pause node1",
                        "fault.start crash node2",
                        "fault.end crash node2");
        assertThat(windows()).containsExactly("pause node1", "crash node2");
        assertThat(events.get(1).fields()).containsEntry("method", "qmp-stop").containsKey("applyMs");
        assertThat(events.get(2).fields()).containsKeys("undoMs", "durationMs");
    }

    @Test
    void a_restart_of_a_running_node_and_a_reset_are_windows_until_ready() {
        step("node1", Action.RESTART);
        step("node3", Action.RESET);
        assertThat(windows()).containsExactly("restart node1", "reset node3");
    }

    @Test
    void shutdown_until_start_and_a_crash_takes_a_pause_over() {
        step("node1", Action.SHUTDOWN);
        step("node1", Action.START);
        step("node2", Action.PAUSE);
        step("node2", Action.CRASH);
        assertThat(windows()).containsExactly("shutdown node1", "pause node2", "crash node2 (open)");
        step("node2", Action.START);
        assertThat(windows()).containsExactly("shutdown node1", "pause node2", "crash node2");
    }

    @Test
    void an_upgrade_is_a_window_with_its_image_and_ends_the_crash_of_a_node_that_was_down() {
        windows.upgrade("node1", "etcd-test-v2@2", () -> done.add("upgrade node1"));
        step("node2", Action.CRASH);
        windows.upgrade("node2", "etcd-test-v2", () -> done.add("upgrade node2"));
        assertThat(windows()).containsExactly("upgrade node1", "crash node2");
        assertThat(events.get(1).fields())
                .containsEntry("faultKind", "upgrade")
                .containsEntry("params", Map.of("image", "etcd-test-v2@2"))
                .containsEntry("method", "qmp-powerdown");
        assertThat(done).containsExactly("upgrade node1", "CRASH node2", "upgrade node2");
    }

    @Test
    void a_failed_upgrade_leaves_its_window_open() {
        assertThatThrownBy(() -> windows.upgrade("node1", "etcd-test-v2", () -> {
                    throw new IllegalStateException("did not become ready");
                }))
                .hasMessage("did not become ready");
        assertThat(windows())
                .as("the node was stopped; it may be down: the window says so")
                .containsExactly("upgrade node1 (open)");
    }

    @Test
    void a_failed_step_opens_and_ends_nothing() {
        step("node1", Action.PAUSE);
        assertThatThrownBy(() -> windows.lifecycle("node1", Action.RESUME, () -> {
                    throw new IllegalStateException("QMP gone");
                }))
                .hasMessage("QMP gone");
        assertThatThrownBy(() -> windows.lifecycle("node2", Action.CRASH, () -> {
                    throw new IllegalStateException("no QEMU");
                }))
                .hasMessage("no QEMU");
        assertThat(windows()).containsExactly("pause node1 (open)");
    }

    @Test
    void a_stopped_service_until_it_is_started_and_a_restart_of_it() {
        windows.service(
                "node1", "etcd", ClusterApi.ServiceAction.STOP, () -> done.add("stop"), () -> done.add("start"));
        windows.service(
                "node2", "jobq", ClusterApi.ServiceAction.RESTART, () -> done.add("stop"), () -> done.add("start"));
        assertThat(windows()).containsExactly("stop-service node1 (open)", "stop-service node2");
        windows.service(
                "node1", "jobq", ClusterApi.ServiceAction.START, () -> done.add("stop"), () -> done.add("start"));
        assertThat(windows())
                .as("another service's start ends nothing")
                .containsExactly("stop-service node1 (open)", "stop-service node2");
        windows.service(
                "node1", "etcd", ClusterApi.ServiceAction.START, () -> done.add("stop"), () -> done.add("start"));
        assertThat(windows()).containsExactly("stop-service node1", "stop-service node2");
        assertThat(done).containsExactly("stop", "stop", "start", "start", "start");
        assertThat(events.get(1).fields()).containsEntry("params", Map.of("service", "etcd"));
    }

    @Test
    void heal_leaves_the_windows_of_steps_alone() {
        step("node1", Action.CRASH);
        faults.heal();
        faults.close();
        assertThat(windows()).containsExactly("crash node1 (open)");
        assertThat(faults.active()).isEmpty();
    }
}
