package io.vmcluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.cluster.spec.ClusterSpec;
import io.vmcluster.events.Event;
import io.vmcluster.events.EventKind;
import io.vmcluster.warm.WarmCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Warm start across runs on three etcd nodes under TCG: a cluster caches its formed state at a
 * snapshot, the next cluster of the same definition starts from it instead of booting (faster,
 * the snapshot's state, this run's SSH key, a current clock), and a cached state that does not
 * load makes the next one boot, with the entry deleted. Three clusters, one after the other; the
 * third, booted after the failed load, stays up for the rest of the class: whole-cluster snapshot
 * and restore (which warm start is built on), then backups of the running nodes' data disks and
 * their refusals. What a backup holds, the wiped disk and the restores from a backup run on VMs in
 * scenarios/advanced/backup-restore.yaml (AdvancedScenariosIT).
 */
@EnabledIf("io.vmcluster.cluster.TestClusters#canBootClusters")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WarmStartIT {
    private static final Duration FORMED = Duration.ofMinutes(3);
    private static final String ETCDCTL = "etcdctl --dial-timeout=3s --command-timeout=5s"
            + " --endpoints=http://node1:2379,http://node2:2379,http://node3:2379";
    private static final ClusterSpec SPEC =
            ClusterSpec.builder().name("warm").nodes(3).build();
    private static Path root;
    private static WarmStart warm;
    private static long coldMs;
    /** The third cluster, booted when the cached state did not load; the snapshot and backup tests use it. */
    private static Cluster cluster;

    private static final List<Event> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void cache() throws IOException {
        root = Files.createTempDirectory("vmc-warm-it");
        warm = new WarmStart(
                new WarmCache(root, WarmCache.Limits.DEFAULT),
                new SnapshotName("formed"),
                Map.of("test", "WarmStartIT"),
                true);
    }

    @AfterAll
    static void clean() {
        if (cluster != null) {
            cluster.close();
        }
        if (root != null) {
            try (Stream<Path> s = Files.walk(root)) {
                s.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                System.out.println("cannot delete " + root + ": " + e);
            }
        }
    }

    private static RunOptions options(List<Event> events) {
        return TestClusters.options("WarmStartIT").withEvents(events::add).withWarmStart(warm);
    }

    private static List<Path> entries() throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("manifest.json")))
                    .toList();
        }
    }

    @Test
    @Order(1)
    void aBootedClusterIsCachedAtTheSnapshotItNames() throws IOException {
        List<Event> events = new CopyOnWriteArrayList<>();
        long t0 = System.nanoTime();
        try (Cluster cluster = Cluster.start(SPEC, options(events))) {
            assertThat(cluster.warmStartEntry())
                    .as("nothing cached yet: it boots")
                    .isEmpty();
            cluster.node("node1").waitUntilSucceeds(ETCDCTL + " put formed yes", FORMED);
            coldMs = (System.nanoTime() - t0) / 1_000_000;
            cluster.parallel(n -> n.succeed("echo before > /root/mark; echo before > /var/lib/vmc/mark; sync"));
            cluster.snapshot("other");
            assertThat(entries()).as("another snapshot is not cached").isEmpty();
            cluster.snapshot("formed");
            assertThat(entries()).as("the cut of 'formed' is cached").hasSize(1);
            // what comes after the snapshot is not in the entry
            cluster.parallel(n -> n.succeed("echo after > /root/mark; echo after > /var/lib/vmc/mark; sync"));
            cluster.node("node2").succeed(ETCDCTL + " put formed after");
        }
        System.out.println("cold: boot and formation " + coldMs + " ms");
        assertThat(events)
                .anySatisfy(e -> assertThat(
                                e.is(EventKind.CLUSTER_WARM_CACHE) && e.fields().get("error") == null)
                        .isTrue());
    }

    @Test
    @Order(2)
    void theNextClusterStartsWarmFromItWithThisRunsKeyAndAClockOfNow() throws IOException {
        List<Event> events = new CopyOnWriteArrayList<>();
        long t0 = System.nanoTime();
        try (Cluster cluster = Cluster.start(SPEC, options(events))) {
            long warmMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("warm start " + warmMs + " ms (cold: boot and formation " + coldMs + " ms)");
            assertThat(cluster.warmStartEntry()).as("started from the cache").isPresent();
            assertThat(warmMs).as("faster than booting and forming").isLessThan(coldMs);
            for (Node n : cluster.nodes()) {
                assertThat(n.state()).isEqualTo(NodeState.READY);
                assertThat(n.succeed("cat /root/mark /var/lib/vmc/mark").stdoutText())
                        .as("%s's RAM and data disk are the snapshot's", n.name())
                        .isEqualTo("before\nbefore\n");
                long guest = Long.parseLong(n.succeed("date +%s").stdoutLine());
                assertThat(Math.abs(guest - System.currentTimeMillis() / 1000))
                        .as("%s's wall clock is now, not the snapshot's", n.name())
                        .isLessThanOrEqualTo(3);
                assertThat(n.succeed("cat /root/.ssh/authorized_keys").stdoutLine())
                        .as("%s authorises this run's key only (the caching run's is gone)", n.name())
                        .isEqualTo(cluster.sshKeys().authorizedKeysLine());
                assertThat(n.sshShell().succeed("hostname").stdoutLine())
                        .as("SSH with this run's key")
                        .isEqualTo(n.name());
            }
            assertThat(cluster.node("node3")
                            .succeed(ETCDCTL + " get --print-value-only formed")
                            .stdoutLine())
                    .isEqualTo("yes");
            cluster.node("node3").waitUntilSucceeds(ETCDCTL + " put k warm", Duration.ofSeconds(30));
            // a warm cluster takes and restores snapshots as a booted one (its disks are overlays of the entry's)
            cluster.snapshot("formed");
            cluster.node("node1").succeed("echo later > /var/lib/vmc/mark; sync");
            cluster.restore("formed");
            assertThat(cluster.node("node1").succeed("cat /var/lib/vmc/mark").stdoutLine())
                    .isEqualTo("before");
        }
        assertThat(events)
                .anySatisfy(e -> assertThat(e.is(EventKind.CLUSTER_WARM_START)).isTrue());
        assertThat(events)
                .as("a warm cluster does not write the entry again")
                .noneSatisfy(e -> assertThat(e.is(EventKind.CLUSTER_WARM_CACHE)).isTrue());
    }

    @Test
    @Order(3)
    void aCachedStateThatDoesNotLoadMakesTheClusterBootAndIsDeleted() throws IOException {
        Path entry = entries().get(0);
        Files.write(entry.resolve("node2").resolve("vmstate"), "not a migration stream".getBytes());
        cluster = Cluster.start(SPEC, options(events));
        assertThat(cluster.warmStartEntry()).as("booted instead").isEmpty();
        assertThat(events)
                .anySatisfy(e -> assertThat(e.is(EventKind.CLUSTER_WARM_START_FAILED)
                                && String.valueOf(e.fields().get("error")).contains("node2"))
                        .as("the failure names the node: %s", e.fields())
                        .isTrue());
        assertThat(entry).as("the entry that did not load is deleted").doesNotExist();
        cluster.node("node1").waitUntilSucceeds(ETCDCTL + " put formed again", FORMED);
        for (Node n : cluster.nodes()) {
            n.fail("test -e /var/lib/vmc/mark"); // a blank data disk, not the entry's
        }
    }

    @Test
    @Order(4)
    void afterARestoreWhatCameLaterIsGoneWhatCameBeforeIsThereAndEtcdTakesWrites() {
        cluster.parallel(n ->
                n.succeed("echo before > /root/mark; mkdir -p /var/lib/vmc && echo before > /var/lib/vmc/mark; sync"));
        cluster.node("node1").succeed(ETCDCTL + " put k before");

        Duration took = cluster.snapshot("cut");
        System.out.println("snapshot of 3 nodes: " + took.toMillis() + " ms");

        cluster.parallel(
                n -> n.succeed("echo after > /root/mark; echo after > /var/lib/vmc/mark; echo x > /root/later; sync"));
        cluster.node("node2").succeed(ETCDCTL + " put k after");

        Duration restore = cluster.restore("cut");
        System.out.println("restore of 3 nodes: " + restore.toMillis() + " ms");

        for (Node n : cluster.nodes()) {
            assertThat(n.succeed("cat /root/mark /var/lib/vmc/mark").stdoutText())
                    .as("RAM and data-disk state of %s is the snapshot's", n.name())
                    .isEqualTo("before\nbefore\n");
            n.fail("test -e /root/later");
            long guest = Long.parseLong(n.succeed("date +%s").stdoutLine());
            assertThat(Math.abs(guest - System.currentTimeMillis() / 1000))
                    .as("%s's wall clock is current, not the snapshot's", n.name())
                    .isLessThanOrEqualTo(3);
        }
        long t0 = System.nanoTime();
        cluster.node("node3").waitUntilSucceeds(ETCDCTL + " put k restored", Duration.ofSeconds(30));
        long writeMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("first etcd write after restore: " + writeMs + " ms");
        assertThat(cluster.node("node1")
                        .succeed(ETCDCTL + " get --print-value-only k")
                        .stdoutLine())
                .isEqualTo("restored");
        assertThat(events)
                .as("the restore is an event")
                .anySatisfy(e ->
                        assertThat(e.toString()).contains("cluster.restore").contains("cut"));
    }

    @Test
    @Order(5)
    void aSnapshotThatDoesNotExistIsRefusedByName() {
        assertThatThrownBy(() -> cluster.restore("nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no snapshot 'nope'")
                .hasMessageContaining("cut");
        assertThatThrownBy(() -> cluster.snapshot("bad name"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid");
    }

    @Test
    @Order(6)
    void twentyRestoresInARowLeakNothing() {
        int before =
                cluster.node("node1").qmp().execute("query-jobs", null).join().size();
        List<Long> ms = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ms.add(cluster.restore("cut").toMillis());
            assertThat(cluster.node("node" + (1 + i % 3))
                            .succeed("cat /root/mark")
                            .stdoutText())
                    .isEqualTo("before\n");
        }
        System.out.println("20 restores, ms: " + ms);
        for (Node n : cluster.nodes()) {
            assertThat(n.qmp().execute("query-jobs", null).join().size())
                    .as("no jobs left on %s", n.name())
                    .isEqualTo(before);
            assertThat(n.status().running()).isTrue();
        }
        cluster.node("node1").waitUntilSucceeds(ETCDCTL + " put k twenty", Duration.ofSeconds(30));
    }

    @Test
    @Order(7)
    void aRestoreUndoesEveryFaultOfTheFaultApiFirstAndTheEventsSaySo() {
        io.vmcluster.fault.Faults faults = io.vmcluster.cluster.faults.ClusterFaults.of(cluster);
        Node node1 = cluster.node("node1");
        String node3 = "node3";
        faults.partition(List.of("node1"), List.of("node2", "node3"));
        faults.cutNic("node2");
        faults.impair("node3", io.vmcluster.fault.Impairment.none().delay(Duration.ofMillis(400)));
        node1.fail("ping -c1 -W2 " + node3);
        assertThat(faults.active()).hasSize(3);
        int before = events.size();

        cluster.restore("cut");

        assertThat(faults.active()).as("the restore closed the fault API first").isEmpty();
        node1.succeed("ping -c1 -W5 " + node3);
        cluster.node("node2").succeed("[ \"$(cat /sys/class/net/eth0/carrier)\" = 1 ]");
        String rtt = cluster.node("node2")
                .succeed("ping -c1 -W5 " + node3 + " | sed -n 's/.*time=\\([0-9]*\\).*/\\1/p'")
                .stdoutLine();
        assertThat(Integer.parseInt(rtt)).as("the delay is gone: rtt ms").isLessThan(400);
        List<String> kinds = events.subList(before, events.size()).stream()
                .map(Event::kind)
                .filter(k -> k.equals("fault.end") || k.equals("cluster.restore"))
                .toList();
        assertThat(kinds)
                .as("the three faults end, then the restore")
                .containsExactly("fault.end", "fault.end", "fault.end", "cluster.restore");
        cluster.node("node3").waitUntilSucceeds(ETCDCTL + " put k after-faults", Duration.ofSeconds(30));
    }

    private static String bootId(Node n) {
        return n.succeed("cat /proc/sys/kernel/random/boot_id").stdoutLine();
    }

    @Test
    @Order(8)
    void aBackupIsTakenWhileTheNodesRunAndLeavesNothingBehind() {
        List<String> all = List.of("node1", "node2", "node3");
        // written without sync: the backup's in-guest sync brings it to the disk (backup-restore.yaml reads it back)
        cluster.parallel(n -> n.succeed("echo backup > /var/lib/vmc/backup-mark"));
        String boot1 = bootId(cluster.node("node1"));

        Backup b = cluster.backup("b1");
        System.out.println("backup of 3 nodes: frozen " + b.frozen().toMillis() + " ms, total "
                + b.total().toMillis() + " ms, files " + b.files());

        assertThat(b.nodes()).containsExactlyElementsOf(all);
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
                        .containsEntry("nodes", all)
                        .containsKeys("freeze_ms", "copy_ms", "bytes"));
    }

    @Test
    @Order(9)
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
