package io.vmcluster.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.image.ImageRef;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.scenario.run.RunOptions;
import io.vmcluster.scenario.run.RunResult;
import io.vmcluster.scenario.step.UpgradeStep;
import io.vmcluster.time.Timing;
import io.vmcluster.yaml.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code upgrade: NODE} with {@code image: NAME[@VERSION]}: parsed, located when wrong, run through the cluster. */
class UpgradeStepTest {
    @TempDir
    Path dir;

    final FakeCluster fake = new FakeCluster("node1", "node2", "node3");

    Scenario parse(String steps) throws IOException {
        String text = "params: {v2: etcd-test-v2@2}\ncluster: {nodes: 3}\ntests:\n  - name: t\n    steps:\n"
                + steps.indent(6);
        return ScenarioParser.parse(Files.writeString(dir.resolve("s.yaml"), text), Map.of());
    }

    List<String> problems(String steps) throws IOException {
        try {
            parse(steps);
        } catch (ScenarioException e) {
            return e.problems().stream().map(Problem::toString).toList();
        }
        throw new AssertionError("expected problems");
    }

    @Test
    void anUpgradeNamesOneNodeAndAnImageWithAnOptionalVersion() throws IOException {
        Scenario s = parse("""
                - upgrade: node1
                  image: etcd-test-v2@2
                  timeout: 4m
                - find_node: "true"
                  where: {exit_code: 0}
                  capture: n
                - upgrade: ${n}
                  image: ${v2}
                - upgrade: node3
                  image: etcd-test-v2
                """);
        var steps = s.tests().get(0).steps();
        assertThat(steps.get(0)).isInstanceOfSatisfying(UpgradeStep.class, u -> {
            assertThat(u.image()).isEqualTo(new ImageRef("etcd-test-v2", Optional.of("2")));
            assertThat(u.timeout()).hasMinutes(4);
            assertThat(u.imageAt().line()).isEqualTo(7);
        });
        assertThat(steps.get(2).describe()).isEqualTo("upgrade ${n} to etcd-test-v2@2");
        assertThat(((UpgradeStep) steps.get(3)).image().version()).isEmpty();
        assertThat(s.upgrades()).hasSize(3);
    }

    @Test
    void theRunnerUpgradesTheNodeTheVariableNamesWithinTheStepsBound() throws IOException {
        fake.answer = (node, cmd) -> FakeCluster.ok("");
        RunOptions o = new RunOptions(
                dir.resolve("results"), Accelerator.TCG, (sc, opt, ev, t) -> fake, Timing.withMultiplier(2));
        RunResult r = ScenarioRunner.run(parse("""
                        - find_node: "true"
                          on: node2
                          where: {exit_code: 0}
                          capture: n
                        - upgrade: ${n}
                          image: etcd-test-v2@2
                          timeout: 90s
                        """), o, e -> {});
        assertThat(r.passed()).as(String.valueOf(r.tests())).isTrue();
        assertThat(fake.log).contains("node2: upgrade to etcd-test-v2@2 within 180 s");
    }

    @Test
    void badUpgradesAreLocated() throws IOException {
        assertThat(problems("- upgrade: [node1, node2]\n  image: etcd-test-v2\n"))
                .singleElement()
                .satisfies(p -> assertThat(p).contains(":6:").contains("upgrade takes one node"));
        assertThat(problems("- upgrade: node1\n  image: '@2'\n"))
                .singleElement()
                .satisfies(p -> assertThat(p).contains(":7:").contains("has an empty name"));
        assertThat(problems("- upgrade: node1\n  image: etcd test\n"))
                .singleElement()
                .satisfies(p -> assertThat(p).contains("without white space"));
        assertThat(problems("- upgrade: node1\n  image: ${v3}\n"))
                .singleElement()
                .satisfies(p -> assertThat(p).contains("${v3} is not a param"));
        assertThat(problems("- upgrade: node1\n  imag: etcd-test-v2\n"))
                .anySatisfy(p -> assertThat(p).contains("did you mean 'image'"));
    }

    @Test
    void aVersionPinIsTheLastAtSign() {
        assertThat(ImageRef.parse("/tmp/my@dir/img@3")).isEqualTo(new ImageRef("/tmp/my@dir/img", Optional.of("3")));
        assertThat(ImageRef.parse("kvd").toString()).isEqualTo("kvd");
        assertThat(ImageRef.parse("kvd@1.2").versionProblem("1.2")).isNull();
        assertThat(ImageRef.parse("kvd@1.2").versionProblem("1.3"))
                .isEqualTo("image kvd is version 1.3, not 1.2 (write kvd@1.3, or build the version you mean)");
        assertThat(ImageRef.parse("kvd").versionProblem("9")).isNull();
        assertThatThrownBy(() -> ImageRef.parse("kvd@")).hasMessageContaining("has an empty version");
    }
}
