package io.vmcluster.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.events.Event;
import io.vmcluster.events.EventsFile;
import io.vmcluster.scenario.run.RunResult;
import io.vmcluster.scenario.run.TestOutcome;
import io.vmcluster.scenario.run.TestOutcome.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code snapshots/fresh-after-faults.yaml} on real VMs: a test marked {@code fresh: formed} starts
 * from the snapshot an earlier test took, with the partition, the pulled NIC and the delay that
 * the test before it left in effect all gone (its steps check the guests: state, links, round
 * trip, clocks, an etcd write), and the events say the faults were healed and the cluster restored
 * before its first step.
 */
class FreshScenarioIT {
    @BeforeAll
    static void host() {
        RealRun.assumeHostCanBootVms();
    }

    @Test
    void aFreshTestStartsFromTheSnapshotWithEveryLaterFaultGone() {
        RealRun.Finished run = RealRun.run(
                ScenarioFiles.DIR.resolve("snapshots").resolve("fresh-after-faults.yaml"), Map.of(), "fresh");
        RunResult r = run.result();
        assertThat(r.error()).as("run-level error").isNull();
        assertThat(r.tests())
                .as("every test passes: %s", r.tests())
                .hasSize(3)
                .extracting(TestOutcome::status)
                .containsOnly(Status.PASSED);

        List<Event> events = EventsFile.read(run.dir().resolve("events.jsonl")).events();
        int freshStart = indexOf(
                events,
                e -> e.kind().equals("step.start")
                        && "a fresh test starts from the snapshot"
                                .equals(e.fields().get("test"))
                        && "fresh: formed".equals(e.fields().get("label")));
        int restore = indexOf(
                events,
                e -> e.kind().equals("cluster.restore")
                        && "formed".equals(e.fields().get("name")));
        int firstStep = indexOf(
                events,
                e -> e.kind().equals("step.start")
                        && "a fresh test starts from the snapshot"
                                .equals(e.fields().get("test"))
                        && !"fresh: formed".equals(e.fields().get("label")));
        assertThat(freshStart).as("the fresh restore is a step of the test").isGreaterThanOrEqualTo(0);
        assertThat(restore)
                .as("the restore is an event, after the fresh step began")
                .isGreaterThan(freshStart);
        assertThat(firstStep).as("the test's own steps come after the restore").isGreaterThan(restore);

        List<Event> started =
                events.stream().filter(e -> e.kind().equals("fault.start")).toList();
        assertThat(started).as("partition, NIC cut, delay").hasSize(3);
        for (Event s : started) {
            Object id = s.fields().get("fault");
            int end = indexOf(
                    events,
                    e -> e.kind().equals("fault.end") && id.equals(e.fields().get("fault")));
            assertThat(end)
                    .as("fault %s (%s) is healed between the fresh step's start and the restore", id, s.fields())
                    .isGreaterThan(freshStart)
                    .isLessThan(restore);
        }
    }

    private static int indexOf(List<Event> events, java.util.function.Predicate<Event> p) {
        for (int i = 0; i < events.size(); i++) {
            if (p.test(events.get(i))) return i;
        }
        return -1;
    }
}
