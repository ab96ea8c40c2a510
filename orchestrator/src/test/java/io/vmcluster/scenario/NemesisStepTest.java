package io.vmcluster.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.events.Event;
import io.vmcluster.events.EventSink;
import io.vmcluster.nemesis.Nemesis;
import io.vmcluster.nemesis.Schedule;
import io.vmcluster.nemesis.ScheduleJson;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.scenario.run.RunOptions;
import io.vmcluster.scenario.run.RunResult;
import io.vmcluster.scenario.run.TestOutcome;
import io.vmcluster.scenario.step.NemesisStep;
import io.vmcluster.time.Timing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nemesis step: parsed into the generator's spec, its schedule written and applied. */
class NemesisStepTest {
    @TempDir
    Path dir;

    final FakeCluster fake = new FakeCluster("node1", "node2", "node3");
    final List<Event> events = Collections.synchronizedList(new ArrayList<>());

    static final String NEMESIS = """
            - nemesis:
                seed: 11
                length: 1500ms
                duration: 100ms..300ms
                gap: 100ms
                recovery: 100ms
                faults:
                  - crash: random
                  - kill_process: minority
                    process: jobq
                    weight: 2
                  - partition: majorities-ring
            """;

    Path file(String steps) throws Exception {
        return Files.writeString(
                dir.resolve("s.yaml"), "cluster: {nodes: 3}\ntests:\n  - name: t\n    steps:\n" + steps.indent(6));
    }

    @Test
    void theScheduleFromTheSeedIsWrittenAndEveryFaultOfItApplied() throws Exception {
        Scenario s = ScenarioParser.parse(file(NEMESIS), Map.of());
        NemesisStep step = (NemesisStep) s.tests().get(0).steps().get(0);
        assertThat(step.seed()).isEqualTo(11L);
        assertThat(step.spec().faults()).hasSize(3);
        RunOptions o = new RunOptions(
                dir.resolve("results"), Accelerator.TCG, (sc, opt, ev, t) -> fake, Timing.withMultiplier(1));
        EventSink sink = events::add;
        RunResult r = ScenarioRunner.run(s, o, sink);
        assertThat(r.tests()).extracting(TestOutcome::status).containsExactly(TestOutcome.Status.PASSED);
        Schedule written = ScheduleJson.read(dir.resolve("results/schedule.json"));
        assertThat(written)
                .as("a pure function of seed, spec and nodes")
                .isEqualTo(Nemesis.generate(11, step.spec(), List.of("node1", "node2", "node3")));
        assertThat(fake.log.stream()
                        .filter(l -> l.startsWith("scheduled fault: "))
                        .count())
                .isEqualTo(written.faults().size());
        assertThat(events.stream().filter(e -> e.kind().equals("nemesis.fault")).count())
                .isEqualTo(written.faults().size());
        assertThat(events.stream().map(Event::kind)).contains("nemesis.start", "nemesis.end");
    }
}
