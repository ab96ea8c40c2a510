package io.vmcluster.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.scenario.run.RunResult;
import io.vmcluster.scenario.run.TestOutcome;
import io.vmcluster.scenario.run.TestOutcome.Status;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed's scenario file on real VMs of the test image: it passes as shipped, and it catches a
 * system that does not replicate (a scenario that cannot fail proves nothing). One cluster per run.
 */
class MvmCiClusterIT {
    @BeforeAll
    static void host() {
        RealRun.assumeHostCanBootVms();
    }

    @Test
    void passesAgainstTheTestImage() {
        RunResult r = RealRun.run(ScenarioFiles.MVM_CI, Map.of(), "mvm-ci");
        assertThat(r.error()).as("run-level error").isNull();
        assertThat(r.tests())
                .as("every seed scenario passes: %s", r.tests())
                .extracting(TestOutcome::status)
                .containsOnly(Status.PASSED)
                .hasSize(6);
    }

    @Test
    void failsReplicationWhenJobsStayLocal() {
        RunResult r = RealRun.run(ScenarioFiles.MVM_CI, Map.of("jobq.mode", "local"), "mvm-ci-local");
        assertThat(r.passed())
                .as("a non-replicating queue must fail the scenario")
                .isFalse();
        assertThat(r.test("cluster formation with leader election").status())
                .as("the cluster itself forms")
                .isEqualTo(Status.PASSED);
        TestOutcome replication = r.test("job replication");
        assertThat(replication.status()).isEqualTo(Status.FAILED);
        assertThat(replication.message())
                .as("the failure names the node that never saw the job")
                .contains("test-job-1")
                .containsAnyOf("node2", "node3");
    }
}
