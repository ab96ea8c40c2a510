package io.vmcluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.cluster.spec.ClusterSpec;
import io.vmcluster.events.Event;
import io.vmcluster.events.EventKind;
import io.vmcluster.warm.WarmCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * load makes the next one boot, with the entry deleted. Three clusters, one after the other.
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
        List<Event> events = new CopyOnWriteArrayList<>();
        try (Cluster cluster = Cluster.start(SPEC, options(events))) {
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
    }
}
