package io.vmcluster.scenario.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.fault.FaultSpec;
import io.vmcluster.scenario.ScenarioException;
import io.vmcluster.scenario.step.FaultStep;
import io.vmcluster.scenario.step.HealStep;
import io.vmcluster.scenario.step.LifecycleStep;
import io.vmcluster.scenario.step.ServiceStep;
import io.vmcluster.scenario.step.Step;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineStepTest {
    private static final List<String> NODES = List.of("node1", "node2", "node3");

    private static Step parse(String... words) {
        return CommandLineStep.parse(List.of(words), NODES, CommandLineStep.FAULT_VERBS);
    }

    private static String problems(String... words) {
        try {
            parse(words);
        } catch (ScenarioException e) {
            return String.join("\n", e.problems().stream().map(Object::toString).toList());
        }
        throw new AssertionError("no problem for " + List.of(words));
    }

    @Test
    void aFaultVerbWithNodesIsTheScenarioStep() {
        Step s = parse("isolate", "node1");
        assertThat(s).isInstanceOf(FaultStep.class);
        assertThat(((FaultStep) s).fault()).isInstanceOf(FaultSpec.Isolate.class);
        assertThat(s.describe()).contains("node1");
    }

    @Test
    void optionsAreKeyEqualsValueAndReadAsTheScenarioReadsThem() {
        Step s = parse("impair", "node1", "delay=100ms", "loss=5%", "to=node2");
        assertThat(s.describe()).contains("delay 100ms").contains("loss");
    }

    @Test
    void partitionGroupsAreWrittenAsInAScenario() {
        Step s = parse("partition", "[[node1],", "[node2,", "node3]]");
        assertThat(((FaultStep) s).fault()).isInstanceOf(FaultSpec.PartitionGroups.class);
        assertThat(parse("partition", "halves")).isInstanceOf(FaultStep.class);
    }

    @Test
    void lifecycleHealAndServiceVerbs() {
        assertThat(parse("resume", "all")).isInstanceOfSatisfying(LifecycleStep.class, l -> {
            assertThat(l.action()).isEqualTo(LifecycleStep.Action.RESUME);
            assertThat(l.nodes().all()).isTrue();
        });
        assertThat(parse("heal")).isInstanceOf(HealStep.class);
        assertThat(parse("stop_service", "jobq", "on=node3")).isInstanceOf(ServiceStep.class);
    }

    @Test
    void anUnknownVerbGetsTheNearestAndTheList() {
        assertThat(problems("isolat", "node1"))
                .contains("unknown verb 'isolat'; did you mean 'isolate'?")
                .contains("verbs: crash, cut_nic");
    }

    @Test
    void aCommandStepIsSentToExec() {
        assertThat(problems("succeed", "true")).contains("vmcluster exec NODE -- CMD");
    }

    @Test
    void anUnknownNodeListsTheNodes() {
        assertThat(problems("crash", "node9"))
                .contains("unknown node 'node9'")
                .contains("the nodes are node1, node2, node3");
    }

    @Test
    void aProblemIsBlamedOnTheWordItIsAbout() {
        assertThat(problems("impair", "node1", "delay=abc")).startsWith("'delay=abc': bad duration for 'delay'");
        assertThat(problems("impair", "node1", "colour=red")).contains("'colour=red': unknown field 'colour'");
        assertThat(problems("crash", "node9")).startsWith("'crash node9': ");
    }

    @Test
    void nothingToDoSaysWhatCouldBeDone() {
        assertThatThrownBy(() -> CommandLineStep.parse(List.of(), NODES, CommandLineStep.FAULT_VERBS))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("heal");
    }
}
