package io.vmcluster.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.cluster.Cluster;
import io.vmcluster.cluster.Node;
import io.vmcluster.events.Event;
import io.vmcluster.events.EventsFile;
import io.vmcluster.fault.Faults;
import io.vmcluster.qemu.Accelerator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * {@link Fresh} on three real etcd-test VMs (TCG): every test finds the cluster as {@code
 * @BeforeAll} left it — memory, data disk, etcd's value, current clocks, no partition — and leaves
 * it changed for the next, which would see the changes without the restore in between.
 */
@VmCluster(file = "src/test/resources/clusters/three.yaml", accel = Accelerator.TCG)
@Fresh
@EnabledIf("io.vmcluster.junit5.RealVms#available")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FreshIT {
    static final Duration ELECTION = Duration.ofMinutes(2);
    static final String ETCDCTL = "etcdctl --dial-timeout=3s --command-timeout=5s ";

    @BeforeAll
    static void formed(Cluster cluster, Node node1) {
        cluster.parallel(n -> n.waitForService("etcd", ELECTION));
        node1.waitUntilSucceeds(ETCDCTL + "put k formed", ELECTION);
        cluster.parallel(n -> n.succeed(
                "echo formed > /root/mark; mkdir -p /var/lib/vmc" + " && echo formed > /var/lib/vmc/mark; sync"));
    }

    @Test
    @Order(1)
    void first(Cluster cluster, Faults faults) {
        startsFormedThenChangesEverything(cluster, faults, "first");
    }

    @Test
    @Order(2)
    void second(Cluster cluster, Faults faults) {
        startsFormedThenChangesEverything(cluster, faults, "second");
    }

    @Test
    @Order(3)
    void third(Cluster cluster, Faults faults) {
        startsFormedThenChangesEverything(cluster, faults, "third");
    }

    private static void startsFormedThenChangesEverything(Cluster cluster, Faults faults, String test) {
        for (Node n : cluster.nodes()) {
            assertThat(n.succeed("cat /root/mark /var/lib/vmc/mark").stdoutText())
                    .as("%s: RAM and data disk of %s are as @BeforeAll left them", test, n.name())
                    .isEqualTo("formed\nformed\n");
            n.fail("test -e /root/later");
            long guest = Long.parseLong(n.succeed("date +%s").stdoutLine());
            assertThat(Math.abs(guest - System.currentTimeMillis() / 1000))
                    .as("%s: the wall clock of %s is current", test, n.name())
                    .isLessThanOrEqualTo(3);
        }
        Node node1 = cluster.node("node1");
        Node node3 = cluster.node("node3");
        assertThat(node1.succeed(ETCDCTL + "get --print-value-only k").stdoutText())
                .as("%s: etcd's value is the formed one", test)
                .isEqualTo("formed\n");
        node1.succeed("ping -c1 -W5 node3"); // no partition

        cluster.parallel(n -> n.succeed(
                "echo " + test + " > /root/mark; echo " + test + " > /var/lib/vmc/mark; echo x > /root/later; sync"));
        node1.succeed(ETCDCTL + "put k " + test);
        faults.partition(List.of("node3"), List.of("node1", "node2")); // left open: undone after the test
        node1.fail("ping -c1 -W2 node3");
        node3.fail(ETCDCTL + "put k minority");
    }

    @AfterAll
    static void oneSnapshotAndARestoreBeforeEachLaterTestAreEvents(@ResultsDir Path dir) {
        List<Event> events = EventsFile.read(dir.resolve("events.jsonl")).events();
        List<Event> snapshots =
                events.stream().filter(e -> e.kind().equals("cluster.snapshot")).toList();
        List<Event> restores =
                events.stream().filter(e -> e.kind().equals("cluster.restore")).toList();
        System.out.println("@Fresh: snapshot "
                + snapshots.stream().map(e -> e.fields().get("total_ms")).toList() + " ms, restores "
                + restores.stream().map(e -> e.fields().get("total_ms")).toList() + " ms");
        assertThat(snapshots).as("one snapshot, before the first test").hasSize(1);
        assertThat(restores)
                .as("a restore before the second and the third test")
                .hasSize(2);
        assertThat(restores).allSatisfy(e -> assertThat(e.fields()).containsEntry("name", ClassCluster.FRESH_SNAPSHOT));
    }
}
