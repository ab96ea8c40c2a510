package io.vmcluster.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.events.Event;
import io.vmcluster.time.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The nftables partitions against the real kernel bridge: three stand-in nodes (network
 * namespaces on veth ports of one bridge), pings and ICMP counters observed from inside them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf("io.vmcluster.fault.NamespaceNodes#available")
class SilentPartitionIT {
    static final List<String> NODES = List.of("node1", "node2", "node3");

    NamespaceNodes nodes;
    Faults faults;
    Path runDir;
    final List<Event> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start() throws Exception {
        runDir = Files.createTempDirectory("vmc-faults-it");
        nodes = new NamespaceNodes(3);
        faults = new Faults(nodes.faultCluster(runDir), events::add);
        assertAllConnected("before any fault");
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (faults != null) {
                faults.close();
            }
        } finally {
            if (nodes != null) {
                nodes.close();
            }
            Files.deleteIfExists(runDir);
        }
    }

    @AfterEach
    void healed() {
        faults.heal();
        assertAllConnected("after heal");
    }

    @Test
    void partitionCutsExactlyTheLinksBetweenGroups() {
        try (Fault p = faults.partition(List.of("node1"), List.of("node2", "node3"))) {
            assertThat(nodes.ping("node2", "node3")).as("same group").isTrue();
            assertThat(nodes.ping("node1", "node2"))
                    .as("node1 -> node2 across the cut")
                    .isFalse();
            assertThat(nodes.ping("node3", "node1"))
                    .as("node3 -> node1 across the cut")
                    .isFalse();
            assertThat(p.active()).isTrue();
        }
        assertAllConnected("after closing the partition");
        assertThat(events).extracting(Event::kind).containsSubsequence("fault.start", "fault.end");
        assertThat(events.get(events.size() - 2).fields()).containsEntry("method", "nftables-bridge");
    }

    @Test
    void oneWayCutDropsOneDirectionOnly() {
        try (Fault cut = faults.cutOneWay("node1", "node2")) {
            for (String n : List.of("node1", "node2")) {
                nodes.ns(n).succeed("ip", "neigh", "flush", "all"); // addresses must be resolved across the cut
            }
            long atNode1 = nodes.echoRequestsReceived("node1");
            long atNode2 = nodes.echoRequestsReceived("node2");
            nodes.ping("node2", "node1"); // the request arrives, the reply is cut
            nodes.ping("node1", "node2"); // the request is cut
            assertThat(nodes.echoRequestsReceived("node1") - atNode1)
                    .as("echo requests node2 -> node1 still arrive")
                    .isEqualTo(1);
            assertThat(nodes.echoRequestsReceived("node2") - atNode2)
                    .as("echo requests node1 -> node2 vanish")
                    .isZero();
            assertThat(nodes.ping("node3", "node1")).as("node3 is untouched").isTrue();
        }
    }

    /**
     * Each shape from a clean neighbour cache: a resolution a node began while the previous shape
     * cut a link goes on after the cut is gone (an INCOMPLETE entry queues the next packet until
     * its next probe and drops it when its probes run out), so one 1 s ping over a link the
     * previous shape cut could fail though the switch passes it; docs/faults.md, "After a heal".
     */
    @Test
    void everyShapeCutsWhatItSays() {
        for (PartitionShape shape : PartitionShape.values()) {
            Partition expected = shape.apply(NODES, 1234);
            try (Fault f = faults.partition(shape, 1234)) {
                for (String n : NODES) {
                    nodes.ns(n).succeed("ip", "neigh", "flush", "all");
                }
                for (String a : NODES) {
                    for (String b : NODES) {
                        if (!a.equals(b)) {
                            boolean open = expected.allows(a, b) && expected.allows(b, a);
                            assertThat(nodes.ping(a, b))
                                    .as("%s (%s): ping %s -> %s", shape, expected.description(), a, b)
                                    .isEqualTo(open);
                        }
                    }
                }
            }
        }
    }

    @Test
    void closingFaultsMidPartitionRemovesTheTable() throws Exception {
        Faults other = new Faults(nodes.faultCluster(runDir), events::add);
        other.isolate("node2");
        other.cutOneWay("node1", "node3");
        assertThat(tables())
                .contains(NftRuleset.tableName(nodes.faultCluster(runDir).id()));
        other.close();
        assertThat(tables()).doesNotContain("vmc_faults");
        assertThat(other.active()).isEmpty();
    }

    @Test
    void impairmentWithoutNetemAnywhereFailsNamingTheNodeAndTheReason() {
        // These stand-in nodes share the host kernel, which (here) has no sch_netem: both methods fail.
        assertThatThrownBy(() -> faults.impair("node1", Impairment.none().delay(Duration.ofMillis(50))))
                .isInstanceOf(FaultException.class)
                .hasMessageContaining("node1")
                .hasMessageContaining("tc");
        assertThat(faults.active()).isEmpty();
    }

    private String tables() {
        return nodes.cluster.succeed("nft", "list", "tables").stdoutText();
    }

    private void assertAllConnected(String when) {
        List<String> broken = new ArrayList<>();
        Wait.forCondition("every node to ping every other " + when)
                .atMost(Duration.ofSeconds(20))
                .until(() -> {
                    broken.clear();
                    for (String a : NODES) {
                        for (String b : NODES) {
                            if (!a.equals(b) && !nodes.ping(a, b)) {
                                broken.add(a + "->" + b);
                            }
                        }
                    }
                    if (!broken.isEmpty()) {
                        throw Wait.notYet("no reply on " + broken);
                    }
                    return true;
                });
    }
}
