package io.vmcluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.cluster.faults.ClusterFaults;
import io.vmcluster.cluster.spec.ClusterSpec;
import io.vmcluster.events.Event;
import io.vmcluster.fault.Faults;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Backups of running nodes' data disks, a wiped disk, and restores of one node and of the whole
 * cluster, on two etcd-test VMs under TCG booted once for the class. The tests build on each
 * other, in order: what the backup holds is checked by the restores.
 */
@EnabledIf("io.vmcluster.cluster.TestClusters#canBootClusters")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupRestoreIT {
    private static final String DISK = "/var/lib/vmc";
    private static Cluster cluster;
    private static Faults faults;
    private static final List<Event> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void boot() {
        cluster = Cluster.start(
                ClusterSpec.builder().name("backup").nodes(2).build(),
                TestClusters.options("BackupRestoreIT").withEvents(events::add));
        faults = ClusterFaults.of(cluster);
    }

    @AfterAll
    static void stop() {
        if (faults != null) faults.close();
        if (cluster != null) cluster.close();
    }

    private static String bootId(Node n) {
        return n.succeed("cat /proc/sys/kernel/random/boot_id").stdoutLine();
    }

    private static String marks(Node n) {
        return n.succeed("cat " + DISK + "/mark; ls " + DISK + "/later 2>/dev/null || echo 'no later'")
                .stdoutText();
    }

    @Test
    @Order(1)
    void aBackupIsTakenWhileTheNodesRunAndHoldsTheirDisks() {
        // written without sync: the backup's in-guest sync brings it to the disk
        cluster.parallel(n -> n.succeed("echo before > " + DISK + "/mark"));
        String boot1 = bootId(cluster.node("node1"));

        Backup b = cluster.backup("b1");
        System.out.println("backup of 2 nodes: frozen " + b.frozen().toMillis() + " ms, total "
                + b.total().toMillis() + " ms, files " + b.files());

        assertThat(b.nodes()).containsExactly("node1", "node2");
        for (var f : b.files().entrySet()) {
            assertThat(f.getValue()).as("%s's copy", f.getKey()).exists();
            assertThat(f.getValue().startsWith(cluster.tempDir()))
                    .as("kept with the run's temporary files")
                    .isTrue();
        }
        assertThat(b.frozen()).as("frozen only to start the jobs").isLessThan(Duration.ofSeconds(10));
        assertThat(bootId(cluster.node("node1"))).as("node1 ran on, no reboot").isEqualTo(boot1);
        for (Node n : cluster.nodes()) {
            assertThat(n.status().running()).as("%s running", n.name()).isTrue();
            JsonNode jobs = n.qmp().execute("query-jobs", null).join();
            assertThat(jobs).as("no job left on %s", n.name()).isEmpty();
            JsonNode nodes = n.qmp().execute("query-named-block-nodes", null).join();
            assertThat(nodes.findValuesAsText("node-name"))
                    .as("the backup target is gone from %s", n.name())
                    .noneMatch(name -> name.startsWith("vmc-backup"));
        }
        assertThat(events)
                .filteredOn(e -> e.kind().equals("cluster.backup"))
                .singleElement()
                .satisfies(e -> assertThat(e.fields())
                        .containsEntry("name", "b1")
                        .containsEntry("nodes", List.of("node1", "node2"))
                        .containsKeys("freeze_ms", "copy_ms", "bytes"));

        cluster.parallel(n -> n.succeed("echo after > " + DISK + "/mark; echo x > " + DISK + "/later; sync"));
    }

    @Test
    @Order(2)
    void aWipedDiskComesBackBlankOnARebootedNode() {
        Node node2 = cluster.node("node2");
        String boot = bootId(node2);
        faults.wipeDisk("node2");

        assertThat(bootId(node2)).as("node2 booted again").isNotEqualTo(boot);
        node2.succeed("grep -q \" " + DISK + " \" /proc/mounts");
        node2.fail("test -e " + DISK + "/mark");
        node2.fail("test -e " + DISK + "/later");
        assertThat(marks(cluster.node("node1"))).as("node1 untouched").isEqualTo("after\n" + DISK + "/later\n");
        assertThat(events)
                .filteredOn(e -> e.kind().equals("fault.instant"))
                .singleElement()
                .satisfies(e -> assertThat(e.fields())
                        .containsEntry("faultKind", "wipe-disk")
                        .containsEntry("method", "blank-disk")
                        .containsEntry("target", "node2"));
    }

    @Test
    @Order(3)
    void restoringOneNodeBringsItsDiskBackAsAtTheBackupAndLeavesTheOtherRunning() {
        String boot1 = bootId(cluster.node("node1"));
        Duration took = cluster.restoreBackup("b1", List.of("node2"));
        System.out.println("restore of node2 from b1: " + took.toMillis() + " ms");

        assertThat(marks(cluster.node("node2"))).isEqualTo("before\nno later\n");
        assertThat(marks(cluster.node("node1"))).isEqualTo("after\n" + DISK + "/later\n");
        assertThat(bootId(cluster.node("node1"))).as("node1 not restarted").isEqualTo(boot1);
        assertThat(cluster.node("node2").state()).isEqualTo(NodeState.READY);
    }

    @Test
    @Order(4)
    void restoringTheClusterOverwritesEveryDiskWithItsBackup() {
        Duration took = cluster.restoreBackup("b1");
        System.out.println("restore of the cluster from b1: " + took.toMillis() + " ms");
        for (Node n : cluster.nodes()) {
            assertThat(marks(n))
                    .as("%s: written after the backup is gone, before is there", n.name())
                    .isEqualTo("before\nno later\n");
        }
        assertThat(events)
                .filteredOn(e -> e.kind().equals("cluster.backup.restore"))
                .extracting(e -> e.fields().get("nodes"))
                .containsExactly(List.of("node2"), List.of("node1", "node2"));
    }

    @Test
    @Order(5)
    void aBackupNeverTakenOrOfAnotherNodeIsRefusedByName() {
        assertThatThrownBy(() -> cluster.restoreBackup("nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no backup 'nope'")
                .hasMessageContaining("taken: b1");
        cluster.backup("only1", List.of("node1"));
        assertThatThrownBy(() -> cluster.restoreBackup("only1", List.of("node2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds no copy of node node2")
                .hasMessageContaining("[node1]");
        assertThatThrownBy(() -> cluster.backup("x", List.of("node9")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node9");
        assertThatThrownBy(() -> cluster.backup("bad name"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backup name 'bad name' is not valid");
        cluster.backup("b1", List.of("node1"));
        assertThat(cluster.backups().get("b1").nodes())
                .as("taking a name again replaces it")
                .containsExactly("node1");
        assertThat(cluster.backups().get("b1").files().values()).allMatch(Files::exists);
    }
}
