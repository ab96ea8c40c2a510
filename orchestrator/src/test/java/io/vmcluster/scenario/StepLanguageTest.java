package io.vmcluster.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.events.Event;
import io.vmcluster.events.EventSink;
import io.vmcluster.fault.FaultSpec;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.report.RunRecorder;
import io.vmcluster.report.RunReport;
import io.vmcluster.scenario.run.RunOptions;
import io.vmcluster.scenario.run.RunResult;
import io.vmcluster.scenario.step.CommandStep;
import io.vmcluster.scenario.step.CopyStep;
import io.vmcluster.scenario.step.FaultStep;
import io.vmcluster.scenario.step.RepeatStep;
import io.vmcluster.scenario.step.WaitUntilStep;
import io.vmcluster.time.Timing;
import io.vmcluster.yaml.Location;
import io.vmcluster.yaml.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The language items of issue 22: params in numbers, merge keys, labels, show output, copies. */
class StepLanguageTest {
    @TempDir
    Path dir;

    final FakeCluster fake = new FakeCluster("node1", "node2", "node3");
    final List<Event> events = Collections.synchronizedList(new ArrayList<>());

    static String scenario(String steps) {
        return "cluster: {nodes: 3}\nparams: {writes: \"4\", wait: 45s, loss: 5%, stop: \"true\"}\n"
                + "tests:\n  - name: t\n    steps:\n" + steps.indent(6);
    }

    Scenario parse(String steps) throws IOException {
        return ScenarioParser.parse(Files.writeString(dir.resolve("s.yaml"), scenario(steps)), Map.of());
    }

    List<Problem> problems(String steps, Map<String, String> overrides) throws IOException {
        Path f = Files.writeString(dir.resolve("s.yaml"), scenario(steps));
        try {
            ScenarioParser.parse(f, overrides);
        } catch (ScenarioException e) {
            return e.problems();
        }
        throw new AssertionError("expected problems");
    }

    RunResult run(String steps) throws IOException {
        Scenario s = parse(steps);
        RunOptions o = new RunOptions(
                dir.resolve("results"), Accelerator.TCG, (sc, opt, ev, t) -> fake, Timing.withMultiplier(1));
        EventSink sink = events::add;
        return ScenarioRunner.run(s, o, sink);
    }

    List<Map<String, Object>> fieldsOf(String kind) {
        return events.stream()
                .filter(e -> e.kind().equals(kind))
                .map(Event::fields)
                .toList();
    }

    @Nested
    class ParamsWhereNumbersAre {
        @Test
        void aCountADurationAPercentageAndASwitchComeFromParams() throws IOException {
            Scenario s = parse("""
                    - repeat: ${writes}
                      steps: [{log: x}]
                    - succeed: "true"
                      on: node1
                      timeout: ${wait}
                    - impair: node1
                      loss: ${loss}
                    """);
            var steps = s.tests().get(0).steps();
            assertThat(((RepeatStep) steps.get(0)).times()).isEqualTo(4);
            assertThat(((CommandStep) steps.get(1)).timeout()).isEqualTo(Duration.ofSeconds(45));
            assertThat(((FaultSpec.Impair<?>) ((FaultStep) steps.get(2)).fault())
                            .impairment()
                            .loss())
                    .isEqualTo(5.0);
        }

        @Test
        void aBadValueIsReportedAtItsUseAfterSubstitution() throws IOException {
            List<Problem> p = problems("- repeat: ${writes}\n  steps: [{log: x}]\n", Map.of("writes", "many"));
            assertThat(p).singleElement().satisfies(x -> {
                assertThat(x.location()).isEqualTo(new Location(dir.resolve("s.yaml"), 6, 17));
                assertThat(x.message()).contains("whole number", "'many'", "${writes}");
            });
        }

        @Test
        void aCapturedVariableCannotBeACount() throws IOException {
            List<Problem> p = problems(
                    "- exec: echo 3\n  on: node1\n  capture: n\n- repeat: ${n}\n  steps: [{log: x}]\n", Map.of());
            assertThat(p)
                    .singleElement()
                    .extracting(Problem::message)
                    .asString()
                    .contains("is not a param");
        }
    }

    @Nested
    class MergeKeys {
        @Test
        void aStepMadeFromAnAnchorWithOneFieldOverridden() throws IOException {
            Path f = Files.writeString(dir.resolve("m.yaml"), """
                    cluster: {nodes: 3}
                    x-probe: &probe
                      wait_until: curl -sf localhost:3020/
                      on: node1
                      timeout: 30s
                    tests:
                      - name: t
                        steps:
                          - <<: *probe
                            timeout: 90s
                          - <<: *probe
                    """);
            var steps = ScenarioParser.parse(f, Map.of()).tests().get(0).steps();
            assertThat(((WaitUntilStep) steps.get(0)).timeout()).isEqualTo(Duration.ofSeconds(90));
            assertThat(((WaitUntilStep) steps.get(1)).timeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(((WaitUntilStep) steps.get(1)).command()).isEqualTo("curl -sf localhost:3020/");
        }
    }

    @Nested
    class Labels {
        @Test
        void aLabelNamesTheStepInEventsAndTheFailureWhileTheFullTextStaysInEvents() throws IOException {
            fake.answer = (node, cmd) -> FakeCluster.exit(1, "lost=30\n", "");
            RunResult r = run("""
                    - succeed: |
                        lost=$(count-lost)
                        test "$lost" = 0
                      on: node1
                      name: no acknowledged write is lost
                    """);
            Map<String, Object> start = fieldsOf("step.start").get(0);
            assertThat(start.get("step")).isEqualTo("no acknowledged write is lost");
            assertThat(start.get("label")).isEqualTo("no acknowledged write is lost");
            assertThat(String.valueOf(start.get("text"))).contains("test \"$lost\" = 0");
            assertThat(r.test("t").message())
                    .startsWith("step failed at ")
                    .contains(": no acknowledged write is lost\n")
                    .contains("command: lost=$(count-lost)");
        }

        @Test
        void aMultiLineCommandWithoutLabelShowsItsFirstLine() throws IOException {
            run("""
                    - succeed: |
                        echo one
                        echo two
                      on: node1
                    """);
            Map<String, Object> end = fieldsOf("step.end").get(0);
            assertThat(end.get("step")).isEqualTo("succeed on node1: echo one …");
            assertThat(String.valueOf(end.get("text"))).contains("echo two");
        }

        @Test
        void everyStepTakesNameOrLabelButNotBoth() throws IOException {
            Scenario s = parse("""
                    - crash: node1
                      label: power loss of node1
                    - heal:
                      name: heal all
                    """);
            assertThat(s.tests().get(0).steps())
                    .extracting(x -> x.label())
                    .containsExactly("power loss of node1", "heal all");
            assertThat(problems("- log: x\n  name: a\n  label: b\n", Map.of()))
                    .singleElement()
                    .extracting(Problem::message)
                    .asString()
                    .contains("same thing");
        }
    }

    @Nested
    class Output {
        @Test
        void showRecordsStdoutStderrAndTheExitCode() throws IOException {
            fake.answer = (node, cmd) -> FakeCluster.exit(3, "", "no such table\n");
            run("- show: count-rows\n  on: node1\n  label: rows\n");
            Map<String, Object> show = fieldsOf("show").get(0);
            assertThat(show).containsEntry("stderr", "no such table\n").containsEntry("exit", 3);
            RunRecorder recorder = new RunRecorder("s");
            events.forEach(recorder::accept);
            RunReport.Summary summary = recorder.report().summaries().get(0);
            assertThat(summary.title()).isEqualTo("t: rows");
            assertThat(summary.text()).isEqualTo("stderr: no such table\n(exit 3)");
        }

        @Test
        void showOutputRecordsAPassingStepsOutput() throws IOException {
            fake.answer = (node, cmd) -> FakeCluster.ok("acknowledged=120 lost=0\n");
            run("""
                    - succeed: count
                      on: node2
                      show_output: true
                      name: write accounting
                    - succeed: quiet
                      on: node2
                    """);
            assertThat(fieldsOf("show"))
                    .singleElement()
                    .satisfies(f -> assertThat(f)
                            .containsEntry("label", "write accounting")
                            .containsEntry("stdout", "acknowledged=120 lost=0\n"));
        }
    }

    @Nested
    class Copies {
        @Test
        void copyInReadsAFileRelativeToTheScenarioAndCopyOutWritesUnderTheNodesResults() throws IOException {
            Files.createDirectories(dir.resolve("files"));
            Files.writeString(dir.resolve("files/client.sh"), "#!/bin/sh\necho hi\n");
            RunResult r = run("""
                    - copy_in: files/client.sh
                      to: /usr/local/bin/client.sh
                      on: all
                    - copy_out: /var/log/${node}.log
                      on: node2
                    - copy_out: /etc/hostname
                      to: hostname.txt
                      on: node3
                    """);
            assertThat(r.passed()).as(String.valueOf(r.tests())).isTrue();
            assertThat(fake.log)
                    .contains(
                            "node1: copy in " + dir.resolve("files/client.sh") + " -> /usr/local/bin/client.sh",
                            "node3: copy in " + dir.resolve("files/client.sh") + " -> /usr/local/bin/client.sh",
                            "node2: copy out /var/log/node2.log -> " + dir.resolve("results/node2/node2.log"),
                            "node3: copy out /etc/hostname -> " + dir.resolve("results/node3/hostname.txt"));
        }

        @Test
        void badCopiesAreRejectedWhereTheyAreWritten() throws IOException {
            assertThat(problems("- copy_in: nowhere.sh\n  to: /x\n  on: node1\n", Map.of()))
                    .singleElement()
                    .satisfies(p -> assertThat(p.location().line()).isEqualTo(6))
                    .extracting(Problem::message)
                    .asString()
                    .contains("no file 'nowhere.sh'", "relative to the scenario");
            Files.writeString(dir.resolve("a.sh"), "x");
            assertThat(problems("- copy_in: a.sh\n  to: usr/bin/a\n  on: node1\n", Map.of()))
                    .singleElement()
                    .extracting(Problem::message)
                    .asString()
                    .contains("must be absolute");
            assertThat(problems("- copy_out: /var/log/x\n  to: ../../etc/x\n  on: node1\n", Map.of()))
                    .singleElement()
                    .extracting(Problem::message)
                    .asString()
                    .contains("plain file name");
            assertThat(problems("- copy_in: a.sh\n  on: node1\n", Map.of()))
                    .singleElement()
                    .extracting(Problem::message)
                    .asString()
                    .contains("needs 'to'");
        }

        @Test
        void theStepKeepsTheResolvedHostFile() throws IOException {
            Files.writeString(dir.resolve("a.sh"), "x");
            var step = (CopyStep) parse("- copy_in: a.sh\n  to: /a\n  on: node1\n")
                    .tests()
                    .get(0)
                    .steps()
                    .get(0);
            assertThat(step.host()).isEqualTo(dir.resolve("a.sh"));
        }
    }
}
