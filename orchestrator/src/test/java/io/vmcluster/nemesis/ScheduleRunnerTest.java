package io.vmcluster.nemesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.events.Event;
import io.vmcluster.fault.Fault;
import io.vmcluster.fault.FaultKind;
import io.vmcluster.fault.FaultSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The runner against a scripted cluster and a scripted clock: what is applied and undone when. */
class ScheduleRunnerTest {
    final List<String> log = new ArrayList<>();
    final List<Event> events = new ArrayList<>();
    String leader = "n1";
    String failOn = null;
    /** The handle with this id fails its undo (after logging it). */
    String failUndo = null;
    /** How many handles one applied fault gives (one per node, in the real fault API). */
    int handlesPerFault = 1;

    Duration now = Duration.ZERO;
    int ids = 0;

    final ScheduleRunner.Pacer pacer = new ScheduleRunner.Pacer() {
        @Override
        public void awaitOffset(Duration offset) {
            if (offset.compareTo(now) > 0) now = offset;
        }

        @Override
        public Duration elapsed() {
            return now;
        }
    };

    final ScheduleRunner.Target target = new ScheduleRunner.Target() {
        @Override
        public List<Fault> apply(FaultSpec<List<String>> fault) {
            if (fault.toString().equals(failOn)) throw new IllegalStateException("refused: " + fault);
            log.add(now.toMillis() + " apply " + fault);
            if (fault.instant()) return List.of();
            List<Fault> handles = new ArrayList<>();
            for (int i = 0; i < handlesPerFault; i++) handles.add(handle(fault));
            return handles;
        }

        @Override
        public String probe(String name) {
            log.add(now.toMillis() + " probe " + name + " = " + leader);
            return leader;
        }
    };

    Fault handle(FaultSpec<List<String>> spec) {
        String id = "f" + ++ids;
        return new Fault() {
            boolean active = true;

            public String id() {
                return id;
            }

            public FaultKind kind() {
                return spec.kind();
            }

            public String target() {
                return spec.toString();
            }

            public Map<String, Object> params() {
                return Map.of();
            }

            public Instant startedAt() {
                return Instant.EPOCH;
            }

            public boolean active() {
                return active;
            }

            public void close() {
                active = false;
                log.add(now.toMillis() + " undo " + spec + (handlesPerFault > 1 ? " " + id : ""));
                if (id.equals(failUndo)) throw new IllegalStateException("undo of " + id + " failed");
            }
        };
    }

    static ScheduledFault at(int id, long atMs, long forMs, FaultSpec<ScheduledNodes> f) {
        return new ScheduledFault(id, Duration.ofMillis(atMs), Duration.ofMillis(forMs), f);
    }

    static Schedule schedule(long lengthMs, ScheduledFault... faults) {
        return new Schedule(
                1, List.of("n1", "n2", "n3"), Duration.ofMillis(lengthMs), Duration.ofMillis(5000), List.of(faults));
    }

    ScheduleRunner runner() {
        return new ScheduleRunner(target, events::add, pacer);
    }

    @Test
    void appliesEachFaultOnTimeAndUndoesItWhenItsDurationIsUp() throws Exception {
        Schedule s = schedule(
                20_000,
                at(1, 1000, 4000, new FaultSpec.Crash<>(ScheduledNodes.names("n2"))),
                at(2, 2000, 0, new FaultSpec.KillProcess<>(ScheduledNodes.names("n3"), "jobq")),
                at(3, 5000, 15_000, new FaultSpec.Isolate<>(ScheduledNodes.names("n1"))));
        var outcome = runner().run(s, "schedule.json");
        assertThat(log)
                .containsExactly(
                        "1000 apply crash n2",
                        "2000 apply kill process jobq on n3",
                        "5000 undo crash n2",
                        "5000 apply isolate n1",
                        "20000 undo isolate n1");
        assertThat(now).as("the recovery is waited out").isEqualTo(Duration.ofMillis(25_000));
        assertThat(outcome.applied()).containsExactly(1, 2, 3);
        assertThat(events)
                .extracting(Event::kind)
                .containsExactly("nemesis.start", "nemesis.fault", "nemesis.fault", "nemesis.fault", "nemesis.end");
        assertThat(events.get(1).fields())
                .containsEntry("nodes", List.of("n2"))
                .containsEntry("atMs", 1000L)
                .containsEntry("actualMs", 1000L)
                .containsEntry("faults", List.of("f1"));
        assertThat(events.get(0).fields())
                .containsEntry("schedule", "schedule.json")
                .containsEntry("seed", 1L);
    }

    @Test
    void aProbeIsAskedWhenItsFaultStartsAndABusyNodeIsSkipped() throws Exception {
        Schedule s = schedule(
                30_000,
                at(1, 1000, 10_000, new FaultSpec.Pause<>(new ScheduledNodes.Probe("leader"))),
                at(2, 3000, 2000, new FaultSpec.Crash<>(new ScheduledNodes.Probe("leader"))),
                at(3, 12_000, 2000, new FaultSpec.Crash<>(new ScheduledNodes.Probe("leader"))));
        leader = "n2";
        var outcome = runner().run(s, null);
        assertThat(outcome.applied()).containsExactly(1, 3);
        assertThat(outcome.skipped()).as("n2 is paused when #2 would crash it").containsExactly(2);
        assertThat(log).contains("1000 apply pause n2", "11000 undo pause n2", "12000 apply crash n2");
        Event skip = events.stream()
                .filter(e -> e.kind().equals("nemesis.skip"))
                .findFirst()
                .orElseThrow();
        assertThat(skip.node()).isEqualTo("n2");
        assertThat((String) skip.fields().get("reason")).contains("n2 is under #1 (pause ${leader})");
    }

    @Test
    void aFaultThatCannotBeAppliedStopsTheScheduleAndUndoesWhatIsOpen() {
        Schedule s = schedule(
                30_000,
                at(1, 1000, 20_000, new FaultSpec.CutNic<>(ScheduledNodes.names("n1"))),
                at(2, 2000, 20_000, new FaultSpec.Pause<>(ScheduledNodes.names("n3"))),
                at(3, 3000, 1000, new FaultSpec.Crash<>(ScheduledNodes.names("n2"))));
        failOn = "crash n2";
        assertThatThrownBy(() -> runner().run(s, null)).hasMessageContaining("refused: crash n2");
        assertThat(log)
                .as("undone newest first")
                .containsExactly(
                        "1000 apply cut nic of n1",
                        "2000 apply pause n3",
                        "3000 undo pause n3",
                        "3000 undo cut nic of n1");
    }

    @Test
    void aGeneratedScheduleRunsWithEveryFaultUndoneByTheEnd() throws Exception {
        Schedule s = Nemesis.generate(5, NemesisTest.everything(3), List.of("n1", "n2", "n3", "n4", "n5"));
        runner().run(s, null);
        long applied = log.stream().filter(l -> l.contains(" apply ")).count();
        long undone = log.stream().filter(l -> l.contains(" undo ")).count();
        long instants = s.faults().stream().filter(f -> f.fault().instant()).count();
        long skipped =
                events.stream().filter(e -> e.kind().equals("nemesis.skip")).count();
        assertThat(applied + skipped).isEqualTo(s.faults().size());
        assertThat(undone).isEqualTo(applied - instants + skippedInstants(s));
    }

    @Test
    void aFailedUndoLeavesNoOtherHandleOpenAndIsThrown() {
        handlesPerFault = 2;
        failUndo = "f4";
        Schedule s = schedule(
                10_000,
                at(1, 1000, 2000, new FaultSpec.Isolate<>(ScheduledNodes.names("n1", "n2"))),
                at(2, 4000, 6000, new FaultSpec.Isolate<>(ScheduledNodes.names("n2", "n3"))));
        assertThatThrownBy(() -> runner().run(s, null)).hasMessageContaining("undo of f4 failed");
        assertThat(log)
                .as("every handle of a fault is undone, newest first, though the first undo fails")
                .containsExactly(
                        "1000 apply isolate n1, n2",
                        "3000 undo isolate n1, n2 f2",
                        "3000 undo isolate n1, n2 f1",
                        "4000 apply isolate n2, n3",
                        "10000 undo isolate n2, n3 f4",
                        "10000 undo isolate n2, n3 f3");
    }

    private long skippedInstants(Schedule s) {
        return events.stream()
                .filter(e -> e.kind().equals("nemesis.skip"))
                .filter(e -> s.faults().stream()
                        .anyMatch(f -> f.id() == (Integer) e.fields().get("id")
                                && f.fault().instant()))
                .count();
    }
}
