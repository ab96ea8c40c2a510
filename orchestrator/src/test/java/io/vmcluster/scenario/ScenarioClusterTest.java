package io.vmcluster.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.yaml.Location;
import io.vmcluster.yaml.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scenario's cluster: read from the located tree, so every problem is in the user's own file. */
class ScenarioClusterTest {
    @TempDir
    Path dir;

    static final String TESTS = "tests: [{name: a, steps: [{log: hi}]}]\n";

    List<Problem> problems(Path file) {
        try {
            ScenarioParser.parse(file, Map.of());
        } catch (ScenarioException e) {
            return e.problems();
        }
        throw new AssertionError("expected problems in " + file);
    }

    Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    @Test
    void anErrorInAnInlineClusterIsAtTheUsersLineAndColumn() throws IOException {
        Path s = write("s.yaml", """
                name: s
                cluster:
                  nodes:
                    - node1
                    - name: node2
                      cpus: 0
                      memory: 10
                """ + TESTS);
        assertThat(problems(s))
                .extracting(Problem::toString)
                .containsExactly(
                        s + ":6:13: cluster: nodes[1].cpus: cpus 0 is out of range (1..64)",
                        s + ":7:15: cluster: nodes[1].memory: memory 10 MiB is out of range (64 MiB .. 64 GiB)");
    }

    @Test
    void anErrorInAClusterFileIsInThatFile() throws IOException {
        Path c = write("clusters/c.yaml", "nodes: 2\nlans:\n  - name: lan\n    subnet: 10.0.0.0/33\n");
        Path s = write("s.yaml", "cluster: clusters/c.yaml\n" + TESTS);
        assertThat(problems(s)).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(new Location(c.normalize(), 4, 13));
            assertThat(p.message()).startsWith("cluster: lans[0].subnet: ").contains("/33");
        });
    }

    @Test
    void aClusterPathThatIsADirectoryOrMissingIsNamedAtTheScenarioLine() throws IOException {
        Files.createDirectories(dir.resolve("clusters"));
        Path s = write("s.yaml", "name: s\ncluster: clusters\n" + TESTS);
        assertThat(problems(s)).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(new Location(s, 2, 10));
            assertThat(p.message()).contains("cluster file 'clusters' is a directory");
        });
    }

    @Test
    void aReservedScenarioParamIsReportedWhereItIsDeclared() throws IOException {
        Path s = write("s.yaml", "cluster: {nodes: 1}\nparams:\n  id: 7\n" + TESTS);
        assertThat(problems(s)).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(new Location(s, 3, 3));
            assertThat(p.message()).contains("param 'id'").contains("reserved");
        });
    }

    @Test
    void anUnknownParamInTheClusterIsAtItsUse() throws IOException {
        Path s = write("s.yaml", "params: {count: 2}\ncluster:\n  nodes: ${cuont}\n" + TESTS);
        assertThat(problems(s)).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(new Location(s, 3, 10));
            assertThat(p.message()).contains("unknown param ${cuont}").contains("did you mean 'count'?");
        });
    }

    @Test
    void aRelativeImageDirectoryIsResolvedFromTheFileItIsWrittenIn() throws IOException {
        Path inline = write("a/s.yaml", "cluster: {nodes: 1, defaults: {image: images/my-img/out}}\n" + TESTS);
        assertThat(ScenarioParser.parse(inline, Map.of()).cluster().image())
                .isEqualTo(dir.resolve("a/images/my-img/out").toString());
        write("b/clusters/c.yaml", "nodes: 1\ndefaults: {image: ../img}\n");
        Path viaFile = write("b/s.yaml", "cluster: clusters/c.yaml\n" + TESTS);
        assertThat(ScenarioParser.parse(viaFile, Map.of()).cluster().image())
                .as("relative to the cluster file, not the scenario")
                .isEqualTo(dir.resolve("b/img").toString());
        Path byName = write("c/s.yaml", "cluster: {nodes: 1, defaults: {image: etcd-test}}\n" + TESTS);
        assertThat(ScenarioParser.parse(byName, Map.of()).cluster().image()).isEqualTo("etcd-test");
    }
}
