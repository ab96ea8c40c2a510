package io.vmcluster.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.scenario.Scenario;
import io.vmcluster.scenario.ScenarioParser;
import io.vmcluster.scenario.TestCase;
import io.vmcluster.scenario.step.SleepStep;
import io.vmcluster.scenario.step.Step;
import io.vmcluster.scenario.step.WorkloadEndStep;
import io.vmcluster.scenario.step.WorkloadStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scenario we ship is valid, and none waits with a fixed sleep. A sleep while a workload runs
 * is not a wait but the fault schedule's timing (how long a partition lasts under load), so it is
 * allowed between a workload and its workload_end. No VM is booted.
 */
class ShippedScenariosTest {
    static Stream<Path> shipped() throws IOException {
        try (Stream<Path> s = Files.walk(ScenarioFiles.DIR)) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("shipped")
    void parsesAndValidates(Path file) {
        Scenario s = ScenarioParser.parse(file, Map.of());
        assertThat(s.tests()).as("%s has tests", file).isNotEmpty();
        assertThat(s.cluster().image())
                .as("%s runs on the test image (docker-etcd: the containers scenario)", file)
                .isIn("etcd-test", "docker-etcd");
        for (TestCase t : s.tests()) {
            assertThat(sleepsOutsideWorkloads(t.steps()))
                    .as("no fixed sleeps in %s / %s", file, t.name())
                    .isEmpty();
        }
    }

    private static List<Step> sleepsOutsideWorkloads(List<Step> steps) {
        java.util.Set<String> running = new java.util.HashSet<>();
        List<Step> out = new java.util.ArrayList<>();
        for (Step s : steps) {
            if (s instanceof WorkloadStep w) running.add(w.name());
            if (s instanceof WorkloadEndStep e) running.remove(e.name());
            if (s instanceof SleepStep && running.isEmpty()) out.add(s);
        }
        return out;
    }

    @Test
    void theSeedScenarioHasItsSixTestsAndTheLocalModeOverride() {
        Scenario s = ScenarioParser.parse(ScenarioFiles.MVM_CI, Map.of("jobq.mode", "local"));
        assertThat(s.tests())
                .extracting(TestCase::name)
                .containsExactly(
                        "cluster formation with leader election",
                        "job replication",
                        "node failure recovery",
                        "network partition isolating node1",
                        "cross-node communication",
                        "independent workflow servers");
        assertThat(s.params()).containsEntry("jobq.mode", "local");
        assertThat(s.cluster().nodes()).containsExactly("node1", "node2", "node3");
    }

    @Test
    void theAdvancedScenariosAreAllThere() throws IOException {
        List<String> names;
        try (Stream<Path> s = Files.list(ScenarioFiles.DIR.resolve("advanced"))) {
            names = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(names)
                .containsExactly(
                        "backup-restore.yaml",
                        "bench-baseline-delay.json",
                        "bench-baseline-lan.json",
                        "bench-write-delay.yaml",
                        "containers-partition.yaml",
                        "five-node-partition.yaml",
                        "leader-crash.yaml",
                        "leader-pause.yaml",
                        "rolling-upgrade.yaml",
                        "slow-network.yaml",
                        "wan-regions.yaml");
    }
}
