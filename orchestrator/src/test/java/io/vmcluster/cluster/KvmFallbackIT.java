package io.vmcluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.cluster.spec.ClusterSpec;
import io.vmcluster.events.Event;
import io.vmcluster.events.JsonLinesEventSink;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.qemu.KvmProbe;
import io.vmcluster.qemu.StandInQemu;
import io.vmcluster.time.Timing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * {@code auto} on a host whose KVM makes QEMU abort at start (issue 10: {@code failed to set MSR
 * 0x10a}, exit 134, 0.7 s in), on any host: a stand-in QEMU aborts like that under KVM and is the
 * real QEMU under TCG, and /dev/kvm is taken as usable. The cluster must boot under TCG after one
 * KVM attempt for the whole cluster, report the fallback once in QEMU's words, and never try KVM
 * again, not even for a restart.
 */
@EnabledIf("io.vmcluster.cluster.KvmFallbackIT#canRun")
class KvmFallbackIT {
    static boolean canRun() {
        return TestClusters.canBootClusters() && StandInQemu.realQemuExists();
    }

    @Test
    void aQemuAbortingUnderKvmFallsBackOnceForTheWholeClusterInQemusWords() throws Exception {
        RunOptions options = TestClusters.options("KvmFallbackIT").withAccelerator(Accelerator.AUTO);
        Path results = options.resultsDir().orElseThrow();
        StandInQemu qemu = StandInQemu.abortingUnderKvm(results.resolve("stand-in"));
        List<Event> events = new CopyOnWriteArrayList<>();
        try (JsonLinesEventSink sink =
                        JsonLinesEventSink.open(results.resolve("events.jsonl")).addListener(events::add);
                Cluster cluster = Cluster.start(
                        ClusterSpec.builder().nodes(2).build(),
                        options.withQemuBinary(qemu.path()).withEvents(sink),
                        () -> new KvmProbe.Result(true, "taken as usable by the test"))) {
            for (Node n : cluster.nodes()) {
                assertThat(n.state()).as(n.name()).isEqualTo(NodeState.READY);
                assertThat(n.accelerator()).as(n.name()).contains(Accelerator.TCG);
            }
            assertThat(qemu.kvmInvocations())
                    .as("KVM is tried once per cluster, not once per node: %s", qemu.invocations())
                    .isEqualTo(1);
            List<Event> fallbacks = ofKind(events, "node.accelerator.fallback");
            assertThat(fallbacks).as("one report for the cluster").hasSize(1);
            assertThat(fallbacks.get(0).fields())
                    .containsEntry("from", "kvm")
                    .containsEntry("to", "tcg")
                    .containsEntry("scope", "cluster");
            assertThat(String.valueOf(fallbacks.get(0).fields().get("reason")))
                    .as("QEMU's own words")
                    .contains("QEMU exited with status 134 (SIGABRT)")
                    .contains("failed to set MSR 0x10a to 0x69")
                    .contains("kvm_buf_set_msrs: Assertion");
            Duration toFallback = Duration.between(
                    ofKind(events, "cluster.start").get(0).time(),
                    fallbacks.get(0).time());
            assertThat(toFallback)
                    .as("decided when QEMU died, not after the 30 s QMP connect bound")
                    .isLessThan(Timing.standard().scale(Duration.ofSeconds(15)));
            assertThat(ofKind(events, "node.state"))
                    .as("the aborted KVM attempt is no crash of a node")
                    .noneMatch(e -> "CRASHED".equals(e.fields().get("state")));
            assertThat(ofKind(events, "node.state"))
                    .filteredOn(e -> "READY".equals(e.fields().get("state")))
                    .extracting(e -> e.fields().get("accelerator"))
                    .containsOnly("tcg");

            cluster.node("node2").restart();

            assertThat(cluster.node("node2").accelerator()).contains(Accelerator.TCG);
            assertThat(qemu.kvmInvocations())
                    .as("a restart does not try KVM again")
                    .isEqualTo(1);
            assertThat(ofKind(events, "node.accelerator.fallback")).hasSize(1);
        }
    }

    private static List<Event> ofKind(List<Event> events, String kind) {
        return events.stream().filter(e -> e.kind().equals(kind)).toList();
    }
}
