package io.vmcluster.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.cluster.Cluster;
import io.vmcluster.cluster.Node;
import io.vmcluster.fault.Faults;
import io.vmcluster.qemu.Accelerator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The extension on three real etcd-test VMs (TCG), booted once for the class: what a user's test
 * class looks like, and proof that a fault one test leaves open is undone before the next.
 */
@VmCluster(file = "src/test/resources/clusters/three.yaml", accel = Accelerator.TCG)
@EnabledIf("io.vmcluster.junit5.RealVms#available")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtcdClusterIT {
    static final Duration ELECTION = Duration.ofMinutes(2);
    static final String ETCDCTL = "etcdctl --dial-timeout=3s --command-timeout=5s ";

    @BeforeAll
    static void etcdServesEverywhere(Cluster cluster) {
        cluster.parallel(n -> n.waitForService("etcd", ELECTION));
    }

    @Test
    @Order(1)
    void aWriteAcknowledgedOnOneNodeIsReadOnTheOthers(Node node1, Node node2, Node node3) {
        node1.waitUntilSucceeds(ETCDCTL + "put junit5 replicated", ELECTION);

        assertThat(node2.succeed(ETCDCTL + "get --print-value-only junit5").stdoutText())
                .isEqualTo("replicated\n");
        assertThat(node3.succeed(ETCDCTL + "get --print-value-only junit5").stdoutText())
                .isEqualTo("replicated\n");
    }

    @Test
    @Order(2)
    void aPartitionedMinorityCannotCommitWhileTheMajorityCan(Faults faults, Node node1, Node node3) {
        faults.partition(List.of("node3"), List.of("node1", "node2")); // left open on purpose: see next test

        node1.waitUntilSucceeds(ETCDCTL + "put junit5 majority", ELECTION);
        node3.fail(ETCDCTL + "put junit5 minority");
        assertThat(node1.succeed(ETCDCTL + "get --print-value-only junit5").stdoutText())
                .isEqualTo("majority\n");
    }

    @Test
    @Order(3)
    void theFaultTheTestBeforeLeftOpenWasUndoneBeforeThisOne(Faults faults, Node node3) {
        assertThat(faults.active()).as("faults open after the previous test").isEmpty();

        node3.waitUntilSucceeds(ETCDCTL + "put junit5 healed", ELECTION);
        assertThat(node3.succeed(ETCDCTL + "get --print-value-only junit5").stdoutText())
                .isEqualTo("healed\n");
    }

    @Test
    @Order(4)
    void theClassesResultsDirectoryHoldsTheEventsAndEveryNodesLogs(@ResultsDir Path results, Cluster cluster) {
        assertThat(cluster.runDir()).isEqualTo(results);
        assertThat(results.getFileName().toString()).startsWith(EtcdClusterIT.class.getName());
        assertThat(results.resolve("events.jsonl")).isNotEmptyFile();
        for (String node : List.of("node1", "node2", "node3")) {
            assertThat(results.resolve(node).resolve("serial.log")).isNotEmptyFile();
        }
    }
}
