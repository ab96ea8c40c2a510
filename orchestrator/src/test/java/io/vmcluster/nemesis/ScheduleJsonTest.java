package io.vmcluster.nemesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.fault.DiskErrors;
import io.vmcluster.fault.FaultSpec;
import io.vmcluster.fault.Impairment;
import io.vmcluster.fault.PartitionShape;
import io.vmcluster.qmp.IoThrottle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScheduleJsonTest {
    @TempDir
    Path dir;

    static final ScheduledNodes N2 = ScheduledNodes.names("n2");
    static final ScheduledNodes REST = ScheduledNodes.names("n1", "n3");

    static Schedule everyKind() {
        List<FaultSpec<ScheduledNodes>> specs = List.of(
                new FaultSpec.PartitionGroups<>(List.of(N2, REST)),
                new FaultSpec.ShapedPartition<>(PartitionShape.BRIDGE, -77),
                new FaultSpec.Isolate<>(N2),
                new FaultSpec.CutNic<>(REST),
                new FaultSpec.CutOneWay<>(N2, new ScheduledNodes.Probe("leader")),
                new FaultSpec.Impair<>(
                        N2,
                        null,
                        Impairment.none()
                                .delay(Duration.ofMillis(100), Duration.ofMillis(10))
                                .loss(5.5)),
                new FaultSpec.Impair<>(N2, REST, Impairment.none().rate(1_000_000)),
                new FaultSpec.PacketCapture<>(REST),
                new FaultSpec.SlowDisk<>(N2, IoThrottle.bytesPerSecond(4096)),
                new FaultSpec.FailDisk<>(N2, DiskErrors.writesOnly().atSector(2048)),
                new FaultSpec.FailDisk<>(REST, DiskErrors.all()),
                new FaultSpec.SkewClock<>(N2, Duration.ofSeconds(-30)),
                new FaultSpec.Pause<>(new ScheduledNodes.Probe("leader")),
                new FaultSpec.Crash<>(N2),
                new FaultSpec.Shutdown<>(REST),
                new FaultSpec.Reset<>(N2),
                new FaultSpec.StopService<>(N2, "jobq"),
                new FaultSpec.KillProcess<>(REST, "jobq"));
        List<ScheduledFault> faults = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            FaultSpec<ScheduledNodes> f = specs.get(i);
            faults.add(new ScheduledFault(
                    i + 1, Duration.ofMillis(1000L * i + 7), f.instant() ? Duration.ZERO : Duration.ofMillis(1500), f));
        }
        return new Schedule(-5, List.of("n1", "n2", "n3"), Duration.ofSeconds(60), Duration.ofSeconds(5), faults);
    }

    @Test
    void everyFaultKindSurvivesTheRoundTrip() throws Exception {
        Schedule s = everyKind();
        Path file = dir.resolve("r/schedule.json");
        ScheduleJson.write(s, file);
        assertThat(ScheduleJson.read(file)).isEqualTo(s);
        assertThat(Files.readString(file)).contains("\"kind\" : \"crash\"").contains("\"probe\" : \"leader\"");
    }

    @Test
    void aGeneratedScheduleSurvivesTheRoundTrip() throws Exception {
        Schedule s = Nemesis.generate(9, NemesisTest.everything(2), NemesisTest.FIVE);
        Path file = dir.resolve("schedule.json");
        ScheduleJson.write(s, file);
        assertThat(ScheduleJson.read(file)).isEqualTo(s);
    }

    @Test
    void aBadFileNamesTheEntryAndTheField() throws Exception {
        Path file = dir.resolve("schedule.json");
        Files.writeString(file, """
                {"format": 1, "seed": 1, "nodes": ["n1"], "lengthMs": 1000, "recoveryMs": 0,
                 "faults": [{"id": 1, "atMs": 0, "durationMs": 10, "fault": {"kind": "crash", "nodes": ["n1"]}},
                            {"id": 2, "atMs": 20, "durationMs": "long", "fault": {"kind": "crash", "nodes": ["n1"]}}]}
                """);
        assertThatThrownBy(() -> ScheduleJson.read(file))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("fault entry 2: 'durationMs' must be a whole number");
        Files.writeString(file, """
                {"format": 1, "seed": 1, "nodes": ["n1"], "lengthMs": 1000, "recoveryMs": 0,
                 "faults": [{"id": 1, "atMs": 0, "durationMs": 10, "fault": {"kind": "explode", "nodes": ["n1"]}}]}
                """);
        assertThatThrownBy(() -> ScheduleJson.read(file)).hasMessageContaining("unknown fault kind 'explode'");
        Files.writeString(file, "{\"format\": 2}");
        assertThatThrownBy(() -> ScheduleJson.read(file)).hasMessageContaining("format 2");
        Files.writeString(file, "{not json");
        assertThatThrownBy(() -> ScheduleJson.read(file)).hasMessageContaining("not JSON");
    }
}
