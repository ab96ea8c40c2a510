package io.vmcluster.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.cluster.Cluster;
import io.vmcluster.cluster.Node;
import io.vmcluster.cluster.NodeState;
import io.vmcluster.cluster.RunOptions;
import io.vmcluster.cluster.faults.ClusterFaults;
import io.vmcluster.cluster.spec.ClusterSpec;
import io.vmcluster.command.CommandResult;
import io.vmcluster.events.Event;
import io.vmcluster.fault.EtcdProbe.MemberStatus;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.time.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * VM, process and service faults observed through the real etcd of three etcd-test VMs (TCG,
 * booted once): what etcd acknowledged survives a crash, an isolated leader is replaced and
 * catches up, and every lifecycle fault leaves a healthy member behind once undone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf("io.vmcluster.fault.VmFaultsIT#imageAvailable")
class EtcdUnderFaultsIT {
    static final Duration MINUTE = Duration.ofSeconds(60);
    static final Duration ELECTION = Duration.ofMinutes(2);
    static final Duration CATCH_UP = Duration.ofMinutes(3);
    /** Bound of a graceful shutdown: the image's halt script needs a few seconds under TCG. */
    static final Duration SHUTDOWN_BOUND = Duration.ofSeconds(20);

    Cluster cluster;
    Faults faults;
    EtcdProbe etcd;
    Path results;
    final List<Event> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    void boot() throws Exception {
        results = Files.createTempDirectory("vmc-etcd-faults-it");
        cluster = Cluster.start(
                ClusterSpec.builder().name("etcd-faults").nodes(3).build(),
                RunOptions.defaults()
                        .withAccelerator(Accelerator.TCG)
                        .withResultsDir(results)
                        .withShutdownTimeout(SHUTDOWN_BOUND)
                        .withEvents(events::add));
        faults = ClusterFaults.of(cluster);
        etcd = new EtcdProbe(cluster);
    }

    @AfterAll
    void shutdown() {
        VmFaultsIT.tearDown(faults, cluster, results);
    }

    /** Every test starts from a healthy cluster: one leader all follow, every member serving. */
    @BeforeEach
    void healthy() {
        etcd.awaitHealthy(CATCH_UP);
    }

    /** Undoes what a test left open, and starts a node a failed test left down, so one failure stays one. */
    @AfterEach
    void undo() {
        try {
            faults.close();
        } finally {
            for (Node n : cluster.nodes()) {
                if (!n.state().hasProcess()) {
                    n.restart();
                }
            }
        }
    }

    Node node(String name) {
        return cluster.node(name);
    }

    List<String> others(String node) {
        return cluster.spec().nodeNames().stream().filter(n -> !n.equals(node)).toList();
    }

    @Test
    void crashedLeaderRestartsOnItsDiskWithEverythingEtcdAcknowledged() throws Exception {
        MemberStatus leader = etcd.awaitLeaderAmong(cluster.spec().nodeNames(), ELECTION);
        String crashed = leader.node();
        String writer = others(crashed).get(0);
        node(crashed).succeed("echo before-crash > /var/lib/vmc/crash-marker && sync");

        // Writes through a follower, one etcdctl put each: acknowledged = exited 0. The leader is
        // crashed once a third of them are in, so later ones race the election.
        int total = 30;
        List<String> acked = new CopyOnWriteArrayList<>();
        List<String> refused = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> writes = pool.submit(() -> {
                for (int i = 0; i < total; i++) {
                    String key = String.format("crash/k%03d", i);
                    (etcd.put(writer, key, "v" + i).succeeded() ? acked : refused).add(key);
                }
            });
            Wait.forCondition(total / 3 + " acknowledged writes before the crash")
                    .atMost(MINUTE)
                    .untilTrue(() -> acked.size() >= total / 3 || writes.isDone());
            int ackedBeforeCrash = acked.size();
            try (Fault crash = faults.crash(crashed)) {
                assertThat(node(crashed).state()).isEqualTo(NodeState.CRASHED);
                writes.get(Duration.ofMinutes(5).toMillis(), TimeUnit.MILLISECONDS);
                assertThat(ackedBeforeCrash)
                        .as("writes acknowledged before the crash")
                        .isGreaterThanOrEqualTo(total / 3);
                MemberStatus next = etcd.awaitLeaderAmong(others(crashed), leader.raftTerm(), ELECTION);
                assertThat(next.node()).as("new leader").isNotEqualTo(crashed);
            } // closing the crash restarts the node on the same disks and waits until it is ready
        } finally {
            pool.shutdownNow();
        }
        assertThat(acked)
                .as("acknowledged writes (refused during the election: %s)", refused)
                .isNotEmpty();

        long revision = etcd.linearizableRevision(writer);
        etcd.awaitRevision(crashed, revision, CATCH_UP);
        assertThat(etcd.serializableKeys(crashed, "crash/"))
                .as("keys the restarted member %s has itself, after catching up", crashed)
                .containsAll(acked);
        assertThat(node(crashed).succeed("cat /var/lib/vmc/crash-marker").stdoutLine())
                .as("the data disk survived the crash")
                .isEqualTo("before-crash");
        assertThat(node(crashed).succeed("cat /run/vmc/log/etcd.log").stdoutText())
                .as("etcd found its member on the data disk and restarted it")
                .contains("restarting local member");
    }

    @Test
    void isolatedLeaderIsReplacedAndCatchesUpAfterHeal() {
        MemberStatus old = etcd.awaitLeaderAmong(cluster.spec().nodeNames(), ELECTION);
        String isolated = old.node();
        List<String> majority = others(isolated);
        try (Fault iso = faults.isolate(isolated)) {
            MemberStatus next = etcd.awaitLeaderAmong(majority, old.raftTerm(), ELECTION);
            assertThat(next.node()).as("new leader among %s", majority).isIn(majority);

            CommandResult write = node(majority.get(0))
                    .waitUntilSucceeds("etcdctl " + EtcdProbe.COMMAND_TIMEOUT + " put iso/key during", MINUTE);
            assertThat(write.stdoutLine()).isEqualTo("OK");

            CommandResult read = etcd.linearizableGet(isolated, "iso/key");
            assertThat(read.exitCode())
                    .as("a linearizable read on the isolated member: %s", read.describe())
                    .isNotZero();
            CommandResult put = etcd.put(isolated, "iso/from-minority", "x");
            assertThat(put.exitCode())
                    .as("a write on the isolated member: %s", put.describe())
                    .isNotZero();
            assertThat(etcd.serializableGet(isolated, "iso/key"))
                    .as("the isolated member has not seen the write")
                    .isEmpty();
        }
        long revision = etcd.linearizableRevision(majority.get(0));
        etcd.awaitRevision(isolated, revision, CATCH_UP);
        assertThat(etcd.serializableGet(isolated, "iso/key"))
                .as("the write of the partition, read from %s's own member after heal", isolated)
                .isEqualTo("during");
    }

    /** The etcd-test image powers off by itself on the ACPI power button, well within the bound. */
    @Test
    void shutdownStopsTheNodeAndCloseBringsItsMemberBack() {
        String n = "node3";
        int before = events.size();
        try (Fault down = faults.shutdown(n)) {
            assertThat(events.subList(before, events.size()))
                    .as("the power button was pressed on %s", n)
                    .anyMatch(e -> e.kind().equals("node.state")
                            && n.equals(e.node())
                            && "STOPPING".equals(e.fields().get("state"))
                            && "system_powerdown".equals(e.fields().get("reason")));
            assertThat(node(n).state()).as("after shutdown").isEqualTo(NodeState.STOPPED);
            assertThat(events.subList(before, events.size()))
                    .as("%s powered off by itself, not killed at the bound", n)
                    .noneMatch(e -> e.kind().equals("node.shutdown.forced"));
            assertThat(node(n).pid()).as("QEMU of %s", n).isEmpty();
            assertMemberUnreachableFromAPeer(n);
            etcd.awaitLeaderAmong(others(n), ELECTION);
        }
        assertThat(node(n).state()).as("after close").isEqualTo(NodeState.READY);
        etcd.awaitHealthy(CATCH_UP);
    }

    @Test
    void resetRebootsTheGuestAndItsMemberRejoins() {
        String n = "node2";
        String bootId = bootId(n);
        faults.reset(n);
        node(n).awaitReady();
        assertThat(bootId(n)).as("boot id after a hard reset").isNotEqualTo(bootId);
        etcd.awaitHealthy(CATCH_UP);
    }

    @Test
    void killedEtcdIsRestartedByTheImagesSupervisor() {
        String n = "node1";
        List<Long> pids = faults.killProcess(n, "etcd");
        assertThat(pids).as("pids of etcd on %s", n).isNotEmpty();
        CommandResult again = node(n).waitUntilSucceeds(
                        "p=$(pidof etcd) && [ -n \"$p\" ] && ! echo \" $p \" | grep -q \" " + pids.get(0)
                                + " \" && echo $p",
                        MINUTE);
        assertThat(again.stdoutLine()).as("a new etcd").isNotBlank();
        assertThat(node(n).succeed("cat /run/vmc/log/etcd.log").stdoutText())
                .as("the supervisor saw the SIGKILL")
                .contains("vmc-supervise: etcd exited with status 137");
        etcd.awaitHealthy(CATCH_UP);
    }

    @Test
    void stoppedServiceStaysDownUntilClose() {
        String n = "node2";
        try (Fault stop = faults.stopService(n, "etcd")) {
            CommandResult status = node(n).exec("vmc-svc status etcd");
            assertThat(status.exitCode())
                    .as("vmc-svc status etcd: %s", status.describe())
                    .isEqualTo(3);
            node(n).shell().waitForClosedPort(2379, MINUTE);
            assertMemberUnreachableFromAPeer(n);
            assertThat(node(n).exec("vmc-svc status etcd").exitCode())
                    .as("still stopped: the supervisor leaves a stopped service alone")
                    .isEqualTo(3);
        }
        node(n).waitForService("etcd", MINUTE);
        etcd.awaitHealthy(CATCH_UP);
    }

    private void assertMemberUnreachableFromAPeer(String n) {
        CommandResult health = node(others(n).get(0))
                .exec("etcdctl " + EtcdProbe.COMMAND_TIMEOUT + " --endpoints=http://" + n + ":2379 endpoint health");
        assertThat(health.exitCode())
                .as("%s's member from a peer: %s", n, health.describe())
                .isNotZero();
    }

    private String bootId(String n) {
        return node(n).succeed("cat /proc/sys/kernel/random/boot_id").stdoutLine();
    }
}
