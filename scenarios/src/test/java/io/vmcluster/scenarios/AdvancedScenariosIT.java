package io.vmcluster.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vmcluster.events.Event;
import io.vmcluster.events.EventsFile;
import io.vmcluster.scenario.run.RunResult;
import io.vmcluster.scenario.run.TestOutcome;
import io.vmcluster.scenario.run.TestOutcome.Status;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The advanced scenarios pass on real VMs of the test image; one cluster per scenario. The pages
 * of the runs with faults are then checked in a real browser. {@code
 * VMC_IT_SCENARIOS=leader-crash,leader-pause} in the environment runs only those.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdvancedScenariosIT {
    /** The runs of this class, by scenario name, for the report checks after them. */
    private static final Map<String, RealRun.Finished> RUNS = new ConcurrentHashMap<>();

    @BeforeAll
    static void host() {
        RealRun.assumeHostCanBootVms();
    }

    @Order(1)
    @ParameterizedTest
    @ValueSource(
            strings = {
                "five-node-partition",
                "slow-network",
                "leader-crash",
                "leader-pause",
                "wan-regions",
                "bench-write-delay",
                "backup-restore",
                "rolling-upgrade"
            })
    void passes(String name) {
        String only = System.getenv().getOrDefault("VMC_IT_SCENARIOS", "");
        assumeTrue(
                only.isBlank() || java.util.List.of(only.split(",")).contains(name),
                "not selected by VMC_IT_SCENARIOS");
        RealRun.Finished run =
                RealRun.run(ScenarioFiles.DIR.resolve("advanced").resolve(name + ".yaml"), Map.of(), name);
        RUNS.put(name, run);
        RunResult r = run.result();
        assertThat(r.error()).as("run-level error").isNull();
        assertThat(r.tests())
                .as("every test of %s passes: %s", name, r.tests())
                .isNotEmpty()
                .extracting(TestOutcome::status)
                .containsOnly(Status.PASSED);
        if (name.equals("backup-restore")) {
            backupEventsSayWhatWasTakenWipedAndRestored(run);
        }
    }

    /**
     * The events of backup-restore.yaml's run: one backup of the three nodes with its timings and
     * sizes, the wipe as an instant fault on the leader, then a restore of that node alone and one
     * of the whole cluster (the VM-level checks of the disks and boots are steps of the file).
     */
    private static void backupEventsSayWhatWasTakenWipedAndRestored(RealRun.Finished run) {
        List<Event> events = EventsFile.read(run.dir().resolve("events.jsonl")).events();
        List<String> all = List.of("node1", "node2", "node3");
        assertThat(events)
                .filteredOn(e -> e.kind().equals("cluster.backup"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.fields().get("name")).isEqualTo("acked");
                    assertThat(e.fields().get("nodes")).isEqualTo(all);
                    assertThat(e.fields()).as("timings and sizes: %s", e).containsKeys("freeze_ms", "copy_ms", "bytes");
                });
        List<Event> instants =
                events.stream().filter(e -> e.kind().equals("fault.instant")).toList();
        assertThat(instants).as("instant faults").hasSize(1);
        Map<String, Object> wipe = instants.get(0).fields();
        assertThat(wipe.get("faultKind")).isEqualTo("wipe-disk");
        assertThat(wipe.get("method")).isEqualTo("blank-disk");
        String leader = String.valueOf(wipe.get("target"));
        assertThat(all).as("the wiped leader").contains(leader);
        assertThat(events)
                .filteredOn(e -> e.kind().equals("cluster.backup.restore"))
                .extracting(e -> e.fields().get("nodes"))
                .as("the wiped leader alone, then the whole cluster")
                .containsExactly(List.of(leader), all);
    }

    @Order(2)
    @Test
    @EnabledIf(
            value = "io.vmcluster.report.browser.HeadlessChromium#available",
            disabledReason = "needs chromium on the PATH (scripts/test installs Debian's chromium)")
    void theirReportsShowTheFaultsInABrowser() throws Exception {
        assumeTrue(
                RUNS.containsKey("slow-network") || RUNS.containsKey("five-node-partition"),
                "neither run with faults (slow-network, five-node-partition) was selected");
        RealRun.Finished slow = RUNS.get("slow-network");
        if (slow != null) {
            Document d =
                    RunPage.render(slow, List.of("node1", "node2", "node3")).dom();
            assertThat(d.select("rect.fault[data-fault] title").eachText())
                    .as("the delay on every node's link, healed by the last test")
                    .isNotEmpty()
                    .allSatisfy(t -> assertThat(t).startsWith("impairment ").contains("to "))
                    .noneSatisfy(t -> assertThat(t).contains("never healed"));
            assertThat(d.select("rect.fault-band")).hasSameSizeAs(d.select("rect.fault[data-fault]"));
        }
        RealRun.Finished five = RUNS.get("five-node-partition");
        if (five != null) {
            Document d = RunPage.render(five, List.of("node1", "node2", "node3", "node4", "node5"))
                    .dom();
            assertThat(d.select("rect.fault[data-fault] title").eachText())
                    .anySatisfy(t -> assertThat(t).startsWith("partition [node1, node2] | [node3, node4, node5]"));
            assertThat(d.select("g.lane[data-node=node1] rect.node-fault"))
                    .as("the minority side")
                    .isNotEmpty();
            assertThat(d.select("g.lane[data-node=node4] rect.node-fault")).isEmpty();
        }
    }
}
