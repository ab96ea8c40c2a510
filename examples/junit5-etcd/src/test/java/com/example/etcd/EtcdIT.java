package com.example.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.cluster.Cluster;
import io.vmcluster.cluster.Node;
import io.vmcluster.fault.Fault;
import io.vmcluster.fault.Faults;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.vmcluster.junit5.VmCluster;

/** etcd on three VMs, booted once for the class: replication, a partition, a leader crash. */
@VmCluster(file = "src/test/resources/etcd-3.yaml")
class EtcdIT {
    static final Duration ELECTION = Duration.ofMinutes(2);
    static final String ETCDCTL = "etcdctl --dial-timeout=3s --command-timeout=5s ";
    /** Exits 0 on the member that is the leader, by its own view. */
    static final String AM_LEADER = "s=$(" + ETCDCTL + "endpoint status -w fields) && "
            + "[ \"$(echo \"$s\" | sed -n 's/^\"MemberID\" : //p')\" = \"$(echo \"$s\" | sed -n 's/^\"Leader\" : //p')\" ]";

    @BeforeAll
    static void etcdServesEverywhere(Cluster cluster) {
        cluster.parallel(n -> n.waitForService("etcd", ELECTION));
    }

    /** Every test starts with a cluster that commits writes. */
    @BeforeEach
    void quorum(Node node1) {
        node1.waitUntilSucceeds(ETCDCTL + "put ready yes", ELECTION);
    }

    @Test
    void aWriteOnOneMemberIsReadOnEveryOther(Node node1, Node node2, Node node3) {
        node1.succeed(ETCDCTL + "put greeting hello");

        assertThat(node2.succeed(ETCDCTL + "get --print-value-only greeting").stdoutText()).isEqualTo("hello\n");
        assertThat(node3.succeed(ETCDCTL + "get --print-value-only greeting").stdoutText()).isEqualTo("hello\n");
    }

    @Test
    void duringAPartitionTheMajorityCommitsAndTheMinorityCannot(Faults faults, Node node1, Node node3) {
        try (Fault split = faults.partition(List.of("node1", "node2"), List.of("node3"))) {
            node1.waitUntilSucceeds(ETCDCTL + "put side majority", ELECTION);
            node3.fail(ETCDCTL + "put side minority");
        }
        node3.waitUntilSucceeds(ETCDCTL + "get --print-value-only side | grep -x majority", ELECTION);
    }

    @Test
    void whenTheLeaderCrashesTheOthersElectANewOneAndItCatchesUpAfterARestart(Cluster cluster, Faults faults) {
        Node leader = cluster.nodes().stream()
                .filter(n -> n.exec(AM_LEADER).succeeded())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no member says it is the leader"));
        Node survivor = cluster.nodes().stream().filter(n -> n != leader).findFirst().orElseThrow();

        try (Fault crash = faults.crash(leader.name())) {
            survivor.waitUntilSucceeds(ETCDCTL + "put after-crash " + leader.name() + "-was-down", ELECTION);
        } // closing the crash fault restarts the node on its disks
        leader.waitUntilSucceeds(
                ETCDCTL + "get --consistency=s --print-value-only after-crash | grep -x " + leader.name() + "-was-down",
                ELECTION);
    }
}
