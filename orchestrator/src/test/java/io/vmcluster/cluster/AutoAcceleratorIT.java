package io.vmcluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.cluster.spec.ClusterSpec;
import io.vmcluster.events.Event;
import io.vmcluster.events.JsonLinesEventSink;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.qemu.KvmProbe;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * {@code auto} where /dev/kvm opens: the node must end up running, on KVM if KVM works, else on
 * TCG after exactly one fallback per node, with the accelerator actually used in its events. On
 * the build machine KVM hangs, so this is the fallback path.
 */
@EnabledIf("io.vmcluster.cluster.AutoAcceleratorIT#kvmOpens")
class AutoAcceleratorIT {

    static boolean kvmOpens() {
        return TestClusters.canBootClusters() && KvmProbe.probe().usable();
    }

    @Test
    void autoEndsUpOnAnAcceleratorThatBootsAndRecordsWhich() throws Exception {
        RunOptions options = TestClusters.options("AutoAcceleratorIT")
                .withAccelerator(Accelerator.AUTO)
                .withPacketCapture(true);
        Path eventsFile = options.resultsDir().orElseThrow().resolve("events.jsonl");
        List<Event> events = new CopyOnWriteArrayList<>();
        try (JsonLinesEventSink sink = JsonLinesEventSink.open(eventsFile).addListener(events::add);
                Cluster cluster = Cluster.start(ClusterSpec.builder().nodes(1).build(), options.withEvents(sink))) {
            Node n = cluster.node("node1");
            assertThat(n.state()).isEqualTo(NodeState.READY);
            Accelerator used = n.accelerator().orElseThrow();
            List<Event> fallbacks = events.stream()
                    .filter(e -> e.kind().equals("node.accelerator.fallback"))
                    .toList();
            if (used == Accelerator.TCG) {
                assertThat(fallbacks)
                        .as("a TCG node under auto with usable /dev/kvm fell back once")
                        .hasSize(1);
                assertThat(fallbacks.get(0).fields())
                        .containsEntry("from", "kvm")
                        .containsEntry("to", "tcg");
            } else {
                assertThat(fallbacks).isEmpty();
            }
            Event ready = events.stream()
                    .filter(e -> e.kind().equals("node.state")
                            && "READY".equals(e.fields().get("state")))
                    .findFirst()
                    .orElseThrow();
            assertThat(ready.fields()).containsEntry("accelerator", used.qemuName());
            assertThat(n.succeed("echo up").stdoutLine()).isEqualTo("up");
            try (var captures = java.nio.file.Files.list(cluster.runDir().resolve("captures"))) {
                assertThat(captures.map(p -> p.getFileName().toString()))
                        .as("a KVM attempt given up is not a start of the node: one capture, of boot 1")
                        .containsExactly("node1-nic0-boot1.pcap");
            }
        }
    }
}
