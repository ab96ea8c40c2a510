package io.vmcluster.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.cluster.Node;
import io.vmcluster.cluster.spec.ClusterSpec;
import io.vmcluster.qemu.Accelerator;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * A failing test class on one real VM, run through JUnit's engine: its failure carries the node's
 * real serial and console tails and the results path, and nothing of the cluster is left on the
 * host afterwards (no QEMU, no namespace).
 */
@EnabledIf("io.vmcluster.junit5.RealVms#available")
class FailureEvidenceIT {
    static final AtomicReference<String> RUN = new AtomicReference<>();

    @VmCluster(accel = Accelerator.TCG)
    static class FailingOnOneVm {
        static final ClusterSpec ONE =
                ClusterSpec.builder().name("evidence").nodes(1).build();

        @Test
        void expectsAFileThatIsNotThere(io.vmcluster.cluster.Cluster cluster, Node node1) {
            RUN.set(cluster.runId());
            node1.succeed("test -e /no/such/file");
        }
    }

    @Test
    void aFailureOnARealVmCarriesItsLogTailsAndTheClusterIsGoneAfterwards(@TempDir Path results) throws Exception {
        EngineExecutionResults r = EngineTestKit.engine("junit-jupiter")
                .configurationParameter(ClassResults.ROOT_PARAMETER, results.toString())
                .selectors(DiscoverySelectors.selectClass(FailingOnOneVm.class))
                .execute();

        r.testEvents().assertStatistics(s -> s.started(1).failed(1));
        Throwable failure = r.testEvents()
                .failed()
                .list()
                .get(0)
                .getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable)
                .orElseThrow();
        assertThat(failure.getMessage()).contains("test -e /no/such/file");
        Path dir = results.resolve(FailingOnOneVm.class.getName());
        assertThat(failure.getSuppressed())
                .singleElement()
                .isInstanceOf(ClusterEvidence.class)
                .satisfies(e -> assertThat(e.getMessage())
                        .contains("are in " + dir)
                        .contains("--- node1: last lines of serial.log (the kernel and init, ttyS0) ---")
                        .contains("VMC-READY node1")
                        .as("the console transcript: what the channel saw besides command output")
                        .contains("--- node1: last lines of console.log (the hvc0 transcript) ---")
                        .contains("[node1] "));
        assertThat(dir.resolve("node1").resolve("serial.log")).isNotEmptyFile();

        String run = RUN.get();
        assertThat(run).isNotNull();
        assertThat(namespaces()).as("network namespaces after the class").noneMatch(ns -> ns.contains(run));
        assertThat(ProcessHandle.allProcesses()
                        .map(p -> p.info().commandLine().orElse(""))
                        .filter(c -> c.contains("qemu-system") && c.contains(run)))
                .as("QEMU processes of the run after the class")
                .isEmpty();
    }

    private static List<String> namespaces() throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "list")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out.lines().toList();
    }
}
