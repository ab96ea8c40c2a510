package io.vmcluster.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.fault.FaultSpec;
import io.vmcluster.fault.PartitionShape;
import io.vmcluster.scenario.step.CommandStep;
import io.vmcluster.scenario.step.FaultStep;
import io.vmcluster.scenario.step.FindNodeStep;
import io.vmcluster.scenario.step.NodeSelector;
import io.vmcluster.scenario.step.ParallelStep;
import io.vmcluster.scenario.step.RepeatStep;
import io.vmcluster.scenario.step.WaitUntilStep;
import io.vmcluster.yaml.Location;
import io.vmcluster.yaml.Problem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ScenarioParserTest {
    static final Path FILE = Path.of("s.yaml");

    static final String HEAD = """
            name: t
            cluster:
              defaults: {image: etcd-test}
              nodes: 3
            params:
              jobq.mode: replicated
            tests:
              - name: one
                steps:
            """;

    static Scenario parse(String steps) {
        return ScenarioParser.parse(HEAD + steps.indent(6), FILE, Map.of());
    }

    static List<Problem> problems(String text, Map<String, String> overrides) {
        try {
            ScenarioParser.parse(text, FILE, overrides);
        } catch (ScenarioException e) {
            return e.problems();
        }
        throw new AssertionError("expected a ScenarioException for:\n" + text);
    }

    static Problem onlyProblem(String steps) {
        List<Problem> p = problems(HEAD + steps.indent(6), Map.of());
        assertThat(p).as("problems: %s", p).hasSize(1);
        return p.get(0);
    }

    @Nested
    class GoodInput {
        @Test
        void readsTheScenarioWithItsClusterParamsAndSteps() {
            Scenario s = parse("""
                    - succeed: curl -sf http://localhost:3020/
                      on: all
                    - exec: cat /x
                      on: node1
                      expect: {exit_code: 3, stdout_contains: [a, b], stdout_matches: "^x", json: {path: "$[0].id", equals: 7}}
                      capture: out
                    - wait_until: curl -s localhost:3020/queue/list
                      on: [node2, node3]
                      expect: {stdout_contains: "${out}"}
                      timeout: 90s
                    """);
            assertThat(s.name()).isEqualTo("t");
            assertThat(s.cluster().nodes()).containsExactly("node1", "node2", "node3");
            assertThat(s.cluster().image()).isEqualTo("etcd-test");
            assertThat(s.params()).containsEntry("jobq.mode", "replicated");
            var steps = s.tests().get(0).steps();
            assertThat(steps).hasSize(3);
            var exec = (CommandStep) steps.get(1);
            assertThat(exec.expect().exitCode()).isEqualTo(3);
            assertThat(exec.expect().stdoutContains()).containsExactly("a", "b");
            assertThat(exec.expect().json().get(0).equals()).isEqualTo("7");
            assertThat(exec.location()).as("1-based line of the step").isEqualTo(new Location(FILE, 12, 9));
            var wait = (WaitUntilStep) steps.get(2);
            assertThat(wait.timeout()).isEqualTo(Duration.ofSeconds(90));
            assertThat(wait.on().names()).containsExactly("node2", "node3");
        }

        @Test
        void succeedRequiresExitZeroAndFailANonZeroOne() {
            Scenario s = parse("""
                    - succeed: "true"
                      on: node1
                    - fail: "false"
                      on: node1
                    """);
            var steps = s.tests().get(0).steps();
            assertThat(((CommandStep) steps.get(0)).expect().exitCode()).isEqualTo(0);
            assertThat(((CommandStep) steps.get(1)).expect().nonZeroExit()).isTrue();
        }

        @Test
        void overridesReplaceParamDefaults() {
            Scenario s = ScenarioParser.parse(HEAD + "      - log: hi\n", FILE, Map.of("jobq.mode", "local"));
            assertThat(s.params()).containsEntry("jobq.mode", "local");
        }

        @Test
        void findNodeInBothSpellingsAndItsCaptureIsUsableLater() {
            Scenario s = parse("""
                    - find_node: {on: all, run: "etcdctl endpoint status", where: {stdout_contains: "true"}, capture: leader}
                    - find_node: "etcdctl endpoint status"
                      on: {all_except: "${leader}"}
                      where: {stdout_contains: "true"}
                      capture: new_leader
                    - crash: ${leader}
                    - isolate: ${new_leader}
                    """);
            var steps = s.tests().get(0).steps();
            assertThat(((FindNodeStep) steps.get(0)).capture()).isEqualTo("leader");
            var second = (FindNodeStep) steps.get(1);
            assertThat(second.on().all()).isTrue();
            assertThat(second.on().except()).containsExactly("${leader}");
        }

        @Test
        void faultsWithTheirParameters() {
            Scenario s = parse("""
                    - partition: [[node1], [node2, node3]]
                    - partition: majorities_ring
                      seed: 7
                    - impair: all
                      delay: 100ms
                      jitter: 10ms
                      loss: 5%
                      rate: 10mbit
                    - cut_one_way: node1
                      to: [node2]
                    - skew_clock: node2
                      by: -30s
                    - slow_disk: node3
                      iops: 50
                    - disk_errors: node1
                    - disk_errors: node2
                      io: write
                      sector: 2048
                    - heal:
                    """);
            var steps = s.tests().get(0).steps();
            var p = (FaultSpec.PartitionGroups<NodeSelector>) ((FaultStep) steps.get(0)).fault();
            assertThat(p.groups()).hasSize(2);
            var shape = (FaultSpec.ShapedPartition<NodeSelector>) ((FaultStep) steps.get(1)).fault();
            assertThat(shape.shape()).isEqualTo(PartitionShape.MAJORITIES_RING);
            assertThat(shape.seed()).isEqualTo(7);
            var imp = (FaultSpec.Impair<NodeSelector>) ((FaultStep) steps.get(2)).fault();
            assertThat(imp.impairment().delay()).isEqualTo(Duration.ofMillis(100));
            assertThat(imp.impairment().loss()).isEqualTo(5.0);
            assertThat(imp.impairment().rateBitsPerSecond()).isEqualTo(10_000_000);
            var skew = (FaultSpec.SkewClock<NodeSelector>) ((FaultStep) steps.get(4)).fault();
            assertThat(skew.offset()).isEqualTo(Duration.ofSeconds(-30));
            var allErrors = ((FaultSpec.FailDisk<NodeSelector>) ((FaultStep) steps.get(6)).fault()).errors();
            assertThat(allErrors)
                    .extracting("reads", "writes", "sector")
                    .containsExactly(true, true, OptionalLong.empty());
            var writeErrors = ((FaultSpec.FailDisk<NodeSelector>) ((FaultStep) steps.get(7)).fault()).errors();
            assertThat(writeErrors)
                    .extracting("reads", "writes", "sector")
                    .containsExactly(false, true, OptionalLong.of(2048L));
        }

        @Test
        void repeatAndParallelNestSteps() {
            Scenario s = parse("""
                    - repeat: 3
                      as: round
                      steps:
                        - succeed: echo ${round}
                          on: node1
                    - parallel:
                        - succeed: "true"
                          on: node1
                        - - succeed: "true"
                            on: node2
                          - exec: "true"
                            on: node3
                            capture: x
                    - log: "${x}"
                    """);
            var steps = s.tests().get(0).steps();
            assertThat(((RepeatStep) steps.get(0)).times()).isEqualTo(3);
            assertThat(((ParallelStep) steps.get(1)).branches()).hasSize(2);
            assertThat(((ParallelStep) steps.get(1)).branches().get(1)).hasSize(2);
        }

        @Test
        void paramsAreSubstitutedIntoTheClusterDefinition() {
            String text = """
                    cluster: {defaults: {image: "${image}"}, nodes: "${n}"}
                    params: {image: my-image, n: "5"}
                    tests: [{name: a, steps: [{log: hi}]}]
                    """;
            Scenario s = ScenarioParser.parse(text, FILE, Map.of("n", "2"));
            assertThat(s.cluster().image()).isEqualTo("my-image");
            assertThat(s.cluster().nodes()).containsExactly("node1", "node2");
            assertThat(s.name()).as("defaults to the file name").isEqualTo("s");
        }
    }

    @Nested
    class BadInput {
        @Test
        void yamlSyntaxErrorsGiveLineAndColumn() {
            List<Problem> p = problems("name: x\ntests:\n  - name: [unclosed\n", Map.of());
            assertThat(p).hasSize(1);
            assertThat(p.get(0).location().line()).isEqualTo(4);
            assertThat(p.get(0).message()).startsWith("YAML syntax error");
            assertThat(p.get(0).toString()).startsWith("s.yaml:4:1: ");
        }

        @Test
        void anUnknownStepSuggestsTheNearestVerb() {
            Problem p = onlyProblem("- succed: 'true'\n  on: node1\n");
            assertThat(p.message()).contains("unknown step 'succed'").contains("did you mean 'succeed'?");
            assertThat(p.location().line()).isEqualTo(10);
        }

        @Test
        void anUnknownFieldSuggestsTheNearestField() {
            Problem p = onlyProblem("- succeed: 'true'\n  on: node1\n  timout: 5s\n");
            assertThat(p.message()).contains("unknown field 'timout'").contains("did you mean 'timeout'?");
            assertThat(p.location()).isEqualTo(new Location(FILE, 12, 9));
        }

        @Test
        void anUnknownCheckSuggestsTheNearestCheck() {
            Problem p = onlyProblem("- exec: x\n  on: node1\n  expect: {stdout_contain: a}\n");
            assertThat(p.message()).contains("did you mean 'stdout_contains'?");
        }

        @Test
        void anUnknownTopLevelFieldSuggests() {
            List<Problem> p = problems(HEAD.replace("params:", "parms:") + "      - log: hi\n", Map.of());
            assertThat(p).extracting(Problem::message).anyMatch(m -> m.contains("did you mean 'params'?"));
        }

        @Test
        void anUnknownNodeListsTheValidOnes() {
            Problem p = onlyProblem("- succeed: 'true'\n  on: node4\n");
            assertThat(p.message()).contains("unknown node 'node4'").contains("node1, node2, node3");
            assertThat(p.location()).as("points at the value").isEqualTo(new Location(FILE, 11, 13));
        }

        @Test
        void aBadDurationSaysWhatIsAllowed() {
            Problem p = onlyProblem("- succeed: 'true'\n  on: node1\n  timeout: 5 minutes\n");
            assertThat(p.message()).contains("'5 minutes'").contains("250ms, 5s, 1.5s, 2m or 1h");
        }

        @Test
        void badFaultParametersSayWhatIsAllowed() {
            assertThat(onlyProblem("- impair: node1\n  loss: 150%\n").message()).contains("percentage from 0 to 100");
            assertThat(onlyProblem("- impair: node1\n  rate: fast\n").message()).contains("512kbit, 10mbit");
            assertThat(onlyProblem("- impair: node1\n").message()).contains("at least one of delay");
            assertThat(onlyProblem("- partition: halfs\n").message())
                    .contains("did you mean 'halves'?")
                    .contains("majorities_ring");
            assertThat(onlyProblem("- partition: [[node1, node2], [node2, node3]]\n")
                            .message())
                    .contains("'node2' is in two partition groups");
            assertThat(onlyProblem("- skew_clock: node1\n  by: soon\n").message())
                    .contains("+30s, -2m");
            assertThat(onlyProblem("- disk_errors: node1\n  io: writes\n").message())
                    .contains("read, write or both")
                    .contains("did you mean 'write'?");
        }

        @Test
        void anUnknownVariableSuggestsAndSaysWhatIsKnown() {
            Problem p = onlyProblem("- exec: x\n  on: node1\n  capture: leader\n- crash: ${leadr}\n");
            assertThat(p.message()).contains("unknown variable ${leadr}").contains("did you mean 'leader'?");
        }

        @Test
        void aVariableUsedBeforeItIsCapturedIsRejected() {
            Problem p = onlyProblem("- crash: ${leader}\n- exec: x\n  on: node1\n  capture: leader\n");
            assertThat(p.message()).contains("unknown variable ${leader}");
        }

        @Test
        void captureNeedsOneNode() {
            assertThat(onlyProblem("- exec: x\n  on: all\n  capture: v\n").message())
                    .contains("capture needs exactly one node");
        }

        @Test
        void anUnknownParamOverrideSuggestsTheDeclaredOne() {
            List<Problem> p = problems(HEAD + "      - log: hi\n", Map.of("jobq.mod", "local"));
            assertThat(p)
                    .singleElement()
                    .extracting(Problem::message)
                    .asString()
                    .contains("--param jobq.mod")
                    .contains("did you mean 'jobq.mode'?");
        }

        @Test
        void aParamValueWithSpaceIsRejected() {
            List<Problem> p = problems(HEAD + "      - log: hi\n", Map.of("jobq.mode", "a b"));
            assertThat(p)
                    .singleElement()
                    .extracting(Problem::message)
                    .asString()
                    .contains("white space");
        }

        @Test
        void everyProblemIsReportedAtOnceInFileOrder() {
            List<Problem> p = problems(HEAD + """
                          - succed: x
                          - succeed: x
                            on: nodeX
                          - sleep: forever
                    """, Map.of());
            assertThat(p).hasSize(3);
            assertThat(p).extracting(x -> x.location().line()).isSorted();
        }

        @Test
        void missingPiecesAreNamed() {
            assertThat(onlyProblem("- succeed: x\n").message()).contains("needs 'on'");
            assertThat(problems("tests: [{name: a, steps: [{log: x}]}]\n", Map.of()))
                    .extracting(Problem::message)
                    .anyMatch(m -> m.contains("needs 'cluster'"));
            assertThat(problems("cluster: {defaults: {image: x}}\ntests: [{name: a, steps: [{log: x}]}]\n", Map.of()))
                    .extracting(Problem::message)
                    .anyMatch(m -> m.contains("needs 'nodes'"));
        }

        @Test
        void clusterProblemsFoundByTheClusterLoaderAreReported() {
            List<Problem> p = problems(
                    "cluster: {nodes: 3, defaults: {memroy: 1G}}\ntests: [{name: a, steps: [{log: x}]}]\n", Map.of());
            assertThat(p).extracting(Problem::message).anyMatch(m -> m.startsWith("cluster: ") && m.contains("memroy"));
        }

        @Test
        void twoVerbsInOneStepAreRejected() {
            assertThat(onlyProblem("- succeed: x\n  crash: node1\n  on: node1\n")
                            .message())
                    .contains("exactly one verb");
        }

        @Test
        void aMissingClusterFileIsNamed() {
            List<Problem> p = problems("cluster: nowhere.yaml\ntests: [{name: a, steps: [{log: x}]}]\n", Map.of());
            assertThat(p)
                    .extracting(Problem::message)
                    .anyMatch(m -> m.contains("cluster file 'nowhere.yaml' not found"));
        }

        @Test
        void duplicateTestNamesAreRejected() {
            String text = HEAD + "      - log: a\n  - name: one\n    steps: [{log: b}]\n";
            assertThat(problems(text, Map.of()))
                    .extracting(Problem::message)
                    .anyMatch(m -> m.contains("two tests are named 'one'"));
        }

        @Test
        void aBadRegexOrJsonPathIsRejected() {
            assertThat(onlyProblem("- exec: x\n  on: node1\n  expect: {stdout_matches: '(unclosed'}\n")
                            .message())
                    .contains("bad regular expression");
            assertThat(onlyProblem("- exec: x\n  on: node1\n  expect: {json: {path: 'leader', equals: 1}}\n")
                            .message())
                    .contains("starts with $");
        }
    }
}
