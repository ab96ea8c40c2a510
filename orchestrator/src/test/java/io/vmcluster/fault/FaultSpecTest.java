package io.vmcluster.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.qmp.IoThrottle;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The fault value: one resolution step maps every node reference, and the text does not depend on the stage. */
class FaultSpecTest {
    static final Map<String, List<String>> RESOLVE = Map.of(
            "leader", List.of("node2"),
            "others", List.of("node1", "node3"),
            "all", List.of("node1", "node2", "node3"));

    static List<FaultSpec<String>> unresolved() {
        return List.of(
                new FaultSpec.PartitionGroups<>(List.of("leader", "others")),
                new FaultSpec.ShapedPartition<>(PartitionShape.HALVES, 3),
                new FaultSpec.Isolate<>("leader"),
                new FaultSpec.CutNic<>("others"),
                new FaultSpec.CutOneWay<>("leader", "others"),
                new FaultSpec.Impair<>("all", null, Impairment.none().loss(5)),
                new FaultSpec.Impair<>("leader", "others", Impairment.none().delay(Duration.ofMillis(100))),
                new FaultSpec.PacketCapture<>("all"),
                new FaultSpec.SlowDisk<>("leader", IoThrottle.operationsPerSecond(50)),
                new FaultSpec.FailDisk<>("others", DiskErrors.writesOnly().atSector(2048)),
                new FaultSpec.SkewClock<>("leader", Duration.ofSeconds(-30)),
                new FaultSpec.Pause<>("leader"),
                new FaultSpec.Crash<>("others"),
                new FaultSpec.Shutdown<>("leader"),
                new FaultSpec.Reset<>("all"),
                new FaultSpec.StopService<>("leader", "jobq"),
                new FaultSpec.KillProcess<>("others", "jobq"));
    }

    @Test
    void mapResolvesEveryNodeReferenceAndKeepsTheRest() {
        List<String> resolved =
                unresolved().stream().map(s -> s.map(RESOLVE::get).toString()).toList();
        assertThat(resolved)
                .containsExactly(
                        "partition [[node2], [node1, node3]]",
                        "partition halves (seed 3)",
                        "isolate node2",
                        "cut nic of node1, node3",
                        "cut one way node2 -> node1, node3",
                        "impair node1, node2, node3: loss 5.0%",
                        "impair node2 -> node1, node3: delay 100ms",
                        "packet capture on node1, node2, node3",
                        "slow disk on node2 (iops 50, bytes/s null)",
                        "write errors on the data disk of node1, node3 at sector 2048",
                        "skew clock of node2 by -30000 ms",
                        "pause node2",
                        "crash node1, node3",
                        "shut down node2",
                        "reset node1, node2, node3",
                        "stop service jobq on node2",
                        "kill process jobq on node1, node3");
        assertThat(unresolved().get(2).toString()).isEqualTo("isolate leader");
    }

    @Test
    void valuesOtherThanNodesSurviveTheMapping() {
        var d = (FaultSpec.FailDisk<List<String>>)
                new FaultSpec.FailDisk<>("leader", DiskErrors.readsOnly()).map(RESOLVE::get);
        assertThat(d.errors()).isEqualTo(new DiskErrors(true, false, OptionalLong.empty()));
        assertThat(d.nodes()).containsExactly("node2");
    }
}
