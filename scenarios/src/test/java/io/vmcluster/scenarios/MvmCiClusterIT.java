package io.vmcluster.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.report.browser.HeadlessChromium;
import io.vmcluster.scenario.run.RunResult;
import io.vmcluster.scenario.run.TestOutcome;
import io.vmcluster.scenario.run.TestOutcome.Status;
import java.util.List;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The seed's scenario file on real VMs of the test image: it passes as shipped, and it catches a
 * system that does not replicate (a scenario that cannot fail proves nothing). One cluster per
 * run; each run's report.html is then checked in a real browser.
 */
class MvmCiClusterIT {
    private static final List<String> NODES = List.of("node1", "node2", "node3");

    @BeforeAll
    static void host() {
        RealRun.assumeHostCanBootVms();
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class AsShipped {
        RealRun.Finished run;

        @BeforeAll
        void run() {
            run = RealRun.run(ScenarioFiles.MVM_CI, Map.of(), "mvm-ci");
        }

        @Test
        void passesAgainstTheTestImage() {
            RunResult r = run.result();
            assertThat(r.error()).as("run-level error").isNull();
            assertThat(r.tests())
                    .as("every seed scenario passes: %s", r.tests())
                    .extracting(TestOutcome::status)
                    .containsOnly(Status.PASSED)
                    .hasSize(6);
        }

        @Test
        @EnabledIf(
                value = "io.vmcluster.report.browser.HeadlessChromium#available",
                disabledReason = "needs chromium on the PATH (scripts/test installs Debian's chromium)")
        void itsReportShowsSixPassedTestsAndThePartitionInABrowser() throws Exception {
            HeadlessChromium.Rendered page = RunPage.render(run, NODES);
            Document d = page.dom();
            assertThat(d.selectFirst("#verdict").text()).isEqualTo("PASSED");
            assertThat(d.select("svg#timeline-chart rect.test-bar.passed")).hasSize(6);
            // the partition, and since lifecycle and service steps record fault windows, the
            // two services "node failure recovery" stops on node3
            List<String> faults = d.select("rect.fault[data-fault]").eachText();
            assertThat(faults)
                    .as("the partition that isolates node1, with its kind and targets")
                    .filteredOn(t -> t.startsWith("partition "))
                    .singleElement()
                    .asString()
                    .contains("partition [node1] | [node2, node3]");
            assertThat(faults)
                    .as("the services stopped on node3")
                    .filteredOn(t -> t.startsWith("stop-service "))
                    .hasSize(2)
                    .allSatisfy(t -> assertThat(t).startsWith("stop-service node3"));
            assertThat(faults).hasSize(3);
            assertThat(d.select("rect.fault-band")).hasSameSizeAs(faults);
            assertThat(d.select("g.lane[data-node=node1] rect.node-fault")).hasSize(1);
            assertThat(d.select("g.lane[data-node=node2] rect.node-fault")).isEmpty();
            for (String n : NODES) {
                assertThat(d.select("g.lane[data-node=" + n + "] rect.state").eachAttr("data-state"))
                        .as("%s booted, was ready, and stopped at the end", n)
                        .startsWith("booting", "ready")
                        .endsWith("stopped");
                assertThat(d.select("#node-" + n + " a").eachText()).contains("serial.log", "console.log");
            }
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WhenJobsStayLocal {
        RealRun.Finished run;

        @BeforeAll
        void run() {
            // Stop at the first failure: the later tests would only wait out their timeouts. A job
            // reaches every node in about a second when it replicates; waiting 60 s for one that
            // never will only costs suite time.
            run = RealRun.runUntilFirstFailure(
                    ScenarioFiles.MVM_CI, Map.of("jobq.mode", "local", "replication.wait", "15s"), "mvm-ci-local");
        }

        @Test
        void failsReplication() {
            RunResult r = run.result();
            assertThat(r.passed())
                    .as("a non-replicating queue must fail the scenario")
                    .isFalse();
            assertThat(r.test("cluster formation with leader election").status())
                    .as("the cluster itself forms")
                    .isEqualTo(Status.PASSED);
            TestOutcome replication = r.test("job replication");
            assertThat(replication.status()).isEqualTo(Status.FAILED);
            assertThat(r.test("node failure recovery").status()).isEqualTo(Status.SKIPPED);
            assertThat(replication.message())
                    .as("the failure names the node that never saw the job")
                    .contains("test-job-1")
                    .containsAnyOf("node2", "node3");
        }

        @Test
        @EnabledIf(
                value = "io.vmcluster.report.browser.HeadlessChromium#available",
                disabledReason = "needs chromium on the PATH (scripts/test installs Debian's chromium)")
        void itsReportSaysWhatFailedInABrowser() throws Exception {
            Document d = RunPage.render(run, NODES).dom();
            assertThat(d.selectFirst("#verdict").text()).isEqualTo("FAILED");
            assertThat(d.selectFirst("#failures").text())
                    .contains("job replication")
                    .contains("test-job-1");
            assertThat(d.select("svg#timeline-chart rect.test-bar").eachAttr("class"))
                    .startsWith("test-bar passed", "test-bar failed");
            assertThat(d.select("line.failure-line")).isNotEmpty();
        }
    }
}
