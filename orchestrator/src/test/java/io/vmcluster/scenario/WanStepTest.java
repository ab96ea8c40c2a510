package io.vmcluster.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.fault.Impairment;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.scenario.run.RunOptions;
import io.vmcluster.scenario.run.RunResult;
import io.vmcluster.scenario.step.WanStep;
import io.vmcluster.time.Timing;
import io.vmcluster.yaml.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wan: [a, b]}: parsed against the cluster's regions, run through the cluster, bad input located. */
class WanStepTest {
    @TempDir
    Path dir;

    final FakeCluster fake = new FakeCluster("node1", "node2", "node3");

    static String scenario(String cluster, String steps) {
        return "cluster:\n" + cluster.indent(2) + "tests:\n  - name: t\n    steps:\n" + steps.indent(6);
    }

    static final String REGIONS = """
            nodes: 3
            regions: {eu: [node1], us: [node2], ap: [node3]}
            wan:
              - {between: [eu, us], delay: 15ms}
            """;

    Scenario parse(String cluster, String steps) throws IOException {
        return ScenarioParser.parse(Files.writeString(dir.resolve("s.yaml"), scenario(cluster, steps)), Map.of());
    }

    List<String> problems(String cluster, String steps) throws IOException {
        try {
            parse(cluster, steps);
        } catch (ScenarioException e) {
            return e.problems().stream().map(Problem::toString).toList();
        }
        throw new AssertionError("expected problems");
    }

    @Test
    void setAndClearParseIntoSteps() throws IOException {
        Scenario s = parse(REGIONS, """
                - wan: [eu, ap]
                  delay: 75ms
                  loss: 1%
                - wan: [us, eu]
                  clear: true
                """);
        var steps = s.tests().get(0).steps();
        assertThat(steps.get(0)).isInstanceOfSatisfying(WanStep.class, w -> {
            assertThat(w.a()).isEqualTo("eu");
            assertThat(w.b()).isEqualTo("ap");
            assertThat(w.impairment())
                    .contains(Impairment.none().delay(Duration.ofMillis(75)).loss(1, 0));
        });
        assertThat(steps.get(1))
                .isInstanceOfSatisfying(
                        WanStep.class, w -> assertThat(w.impairment()).isEqualTo(Optional.empty()));
        assertThat(steps.get(1).describe()).isEqualTo("wan: [us, eu] cleared");
    }

    @Test
    void theRunnerSetsTheLinkThroughTheCluster() throws IOException {
        RunOptions o = new RunOptions(
                dir.resolve("results"), Accelerator.TCG, (sc, opt, ev, t) -> fake, Timing.withMultiplier(1));
        RunResult r = ScenarioRunner.run(
                parse(REGIONS, "- wan: [eu, ap]\n  delay: 75ms\n- wan: [eu, us]\n  clear: true\n"), o, e -> {});
        assertThat(r.passed()).as(String.valueOf(r.tests())).isTrue();
        assertThat(fake.log).containsSubsequence("wan eu-ap delay 75000us", "wan eu-us cleared");
    }

    @Test
    void regionsAreCheckedAgainstTheClusterWithASuggestion() throws IOException {
        assertThat(problems(REGIONS, "- wan: [eu, apac]\n  delay: 5ms\n"))
                .singleElement()
                .satisfies(p -> assertThat(p)
                        .endsWith("unknown region 'apac'; did you mean 'ap'? (the regions are eu, us, ap)"));
        assertThat(problems(REGIONS, "- wan: [eu, eu]\n  delay: 5ms\n"))
                .singleElement()
                .satisfies(p -> assertThat(p).contains("wan joins two different regions, not eu to itself"));
        assertThat(problems(REGIONS, "- wan: eu\n  delay: 5ms\n"))
                .singleElement()
                .satisfies(p -> assertThat(p).contains("wan takes the two regions it joins"));
    }

    @Test
    void aWanStepNeedsRegionsAndAnImpairmentOrClear() throws IOException {
        assertThat(problems("nodes: 3\n", "- wan: [eu, us]\n  delay: 5ms\n"))
                .singleElement()
                .satisfies(p -> assertThat(p).contains("the cluster has none"));
        assertThat(problems(REGIONS, "- wan: [eu, us]\n"))
                .singleElement()
                .satisfies(p -> assertThat(p).contains("wan needs at least one of delay"));
        assertThat(problems(REGIONS, "- wan: [eu, us]\n  clear: true\n  delay: 5ms\n"))
                .singleElement()
                .satisfies(p -> assertThat(p).contains("clear: true removes the link"));
    }
}
