package io.vmcluster.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.vmcluster.cluster.NodeState;
import io.vmcluster.events.Event;
import io.vmcluster.report.RunTimeline.FaultSpan;
import io.vmcluster.report.RunTimeline.NodeSpan;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunTimelineTest {
    private static final Instant T0 = SampleRun.T0;

    @Test
    void eachNodeHasItsStatesFromStartToEndInTheRunsNodeOrder() {
        RunTimeline t = RunTimeline.of(SampleRun.events());
        assertThat(t.nodes()).containsExactly("node1", "node2", "node3");
        assertThat(t.origin()).isEqualTo(T0);
        assertThat(t.duration()).isEqualTo(Duration.ofSeconds(57));
        assertThat(t.states().get("node3"))
                .extracting(NodeSpan::state, s -> secs(s.from()), s -> secs(s.to()))
                .containsExactly(
                        tuple(NodeState.BOOTING, 1.0, 13.0),
                        tuple(NodeState.READY, 13.0, 22.5),
                        tuple(NodeState.CRASHED, 22.5, 23.5),
                        tuple(NodeState.BOOTING, 23.5, 33.0),
                        tuple(NodeState.READY, 33.0, 56.0),
                        tuple(NodeState.STOPPED, 56.0, 57.0));
        assertThat(t.facts().scenario()).isEqualTo("sample");
        assertThat(t.facts().params()).containsEntry("jobq.mode", "replicated");
        assertThat(t.facts().clusterReadyAt()).isEqualTo(T0.plusSeconds(13));
    }

    @Test
    void eventsOutOfOrderGiveTheSameTimeline() {
        List<Event> shuffled = new ArrayList<>(SampleRun.events());
        Collections.shuffle(shuffled, new java.util.Random(7));
        assertThat(RunTimeline.of(shuffled)).isEqualTo(RunTimeline.of(SampleRun.events()));
    }

    @Test
    void faultsRunFromStartToEndAndAnIsolationMarksTheNodeCutOff() {
        RunTimeline t = RunTimeline.of(SampleRun.events());
        assertThat(t.faults())
                .extracting(
                        FaultSpan::id, FaultSpan::kind, f -> secs(f.from()), f -> f.to() == null ? null : secs(f.to()))
                .containsExactly(tuple("f1", "partition", 34.2, 54.2), tuple("f2", "kill-process", 36.0, null));
        FaultSpan partition = t.faults().get(0);
        assertThat(partition.label()).isEqualTo("partition [node1] | [node2, node3]");
        assertThat(partition.nodes()).as("the smaller side of the partition").containsExactly("node1");
        assertThat(t.faults().get(1).instant()).isTrue();
        assertThat(t.faults().get(1).nodes()).containsExactly("node2");
    }

    @Test
    void aFaultNeverHealedLastsToTheEndAndAnEvenSplitMarksEveryNode() {
        List<Event> events = List.of(
                ev(0, "run.start", null, Map.of("nodes", List.of("a", "b", "c", "d"))),
                ev(
                        1,
                        "fault.start",
                        null,
                        Map.of(
                                "fault", "f1",
                                "faultKind", "partition",
                                "target", "[a, b] | [c, d]",
                                "params", Map.of("groups", List.of(List.of("a", "b"), List.of("c", "d"))))),
                ev(
                        2,
                        "fault.start",
                        "c",
                        Map.of(
                                "fault",
                                "f2",
                                "faultKind",
                                "one-way-cut",
                                "target",
                                "c->d",
                                "params",
                                Map.of("cuts", List.of("c->d")))),
                ev(
                        3,
                        "fault.error",
                        "d",
                        Map.of("fault", "f3", "faultKind", "slow-disk", "target", "d", "error", "QMP said no")),
                ev(9, "run.end", null, Map.of()));
        RunTimeline t = RunTimeline.of(events);
        FaultSpan split = t.faults().get(0);
        assertThat(split.to()).isNull();
        assertThat(split.toOr(t.end())).isEqualTo(T0.plusSeconds(9));
        assertThat(split.nodes()).containsExactly("a", "b", "c", "d");
        assertThat(t.faults().get(1).nodes()).containsExactly("c", "d");
        assertThat(t.faults().get(2).error()).isEqualTo("QMP said no");
    }

    @Test
    void faultEventsOfOlderFilesWhoseKindWasReplacedByTheFaultKindAreStillFaults() {
        // before the fix, events.jsonl said "kind":"partition" for both the start and the end
        List<Event> events = List.of(
                ev(0, "run.start", null, Map.of("nodes", List.of("node1", "node2"))),
                ev(
                        1,
                        "partition",
                        null,
                        Map.of(
                                "fault",
                                "f1",
                                "target",
                                "[node1] | [node2]",
                                "applyMs",
                                2.0,
                                "params",
                                Map.of("groups", List.of(List.of("node1"), List.of("node2"))))),
                ev(
                        4,
                        "partition",
                        null,
                        Map.of("fault", "f1", "target", "[node1] | [node2]", "undoMs", 1.0, "durationMs", 3000)),
                ev(5, "reset", "node2", Map.of("fault", "f2", "target", "node2", "applyMs", 1.0)),
                ev(6, "run.end", null, Map.of()));
        RunTimeline t = RunTimeline.of(events);
        assertThat(t.faults())
                .extracting(
                        FaultSpan::kind,
                        f -> secs(f.from()),
                        f -> f.to() == null ? null : secs(f.to()),
                        FaultSpan::instant)
                .containsExactly(tuple("partition", 1.0, 4.0, false), tuple("reset", 5.0, null, true));
    }

    @Test
    void noEventsIsAnEmptyTimeline() {
        RunTimeline t = RunTimeline.of(List.of());
        assertThat(t.nodes()).isEmpty();
        assertThat(t.faults()).isEmpty();
        assertThat(t.duration()).isZero();
    }

    private static Event ev(double s, String kind, String node, Map<String, Object> fields) {
        return new Event(T0.plusMillis(Math.round(s * 1000)), kind, node, fields);
    }

    private static double secs(Instant t) {
        return Duration.between(T0, t).toMillis() / 1000.0;
    }
}
