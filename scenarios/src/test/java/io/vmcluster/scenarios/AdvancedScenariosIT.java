package io.vmcluster.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vmcluster.scenario.run.RunResult;
import io.vmcluster.scenario.run.TestOutcome;
import io.vmcluster.scenario.run.TestOutcome.Status;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The advanced scenarios pass on real VMs of the test image; one cluster per scenario.
 * {@code VMC_IT_SCENARIOS=leader-crash,leader-pause} in the environment runs only those.
 */
class AdvancedScenariosIT {
    @BeforeAll
    static void host() {
        RealRun.assumeHostCanBootVms();
    }

    @ParameterizedTest
    @ValueSource(strings = {"five-node-partition", "slow-network", "leader-crash", "leader-pause"})
    void passes(String name) {
        String only = System.getenv().getOrDefault("VMC_IT_SCENARIOS", "");
        assumeTrue(
                only.isBlank() || java.util.List.of(only.split(",")).contains(name),
                "not selected by VMC_IT_SCENARIOS");
        RunResult r = RealRun.run(ScenarioFiles.DIR.resolve("advanced").resolve(name + ".yaml"), Map.of(), name);
        assertThat(r.error()).as("run-level error").isNull();
        assertThat(r.tests())
                .as("every test of %s passes: %s", name, r.tests())
                .isNotEmpty()
                .extracting(TestOutcome::status)
                .containsOnly(Status.PASSED);
    }
}
