package io.vmcluster.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.vmcluster.cli.Vmcluster;
import io.vmcluster.report.ResultsDirectory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The CI workflow files in docs/examples (not active here): what they run exists and parses, what
 * they upload and publish is where the runs write, and docs/ci.md shows them as they are.
 */
class CiExamplesTest {
    static final Path TOP = Path.of("..").toAbsolutePath().normalize();
    static final String README_COMMAND = "scripts/vmcluster run scenarios/mvm-ci-cluster.yaml";
    static final String EXAMPLE = "examples/junit5-etcd";

    /** One workflow file read into what matters: its shell commands, uploaded paths, JUnit XML paths. */
    record Workflow(String file, String text, List<String> commands, List<String> uploaded, List<String> junit) {
        @Override
        public String toString() {
            return file;
        }
    }

    static List<Workflow> workflows() throws Exception {
        return List.of(github(), gitlab());
    }

    @SuppressWarnings("unchecked")
    static Workflow github() throws Exception {
        String text = Files.readString(TOP.resolve("docs/examples/github-actions.yml"));
        Map<String, Object> job = (Map<String, Object>) ((Map<String, Object>)
                        new Yaml().<Map<String, Object>>load(text).get("jobs"))
                .get("vm-tests");
        List<Map<String, Object>> steps = (List<Map<String, Object>>) job.get("steps");
        List<String> commands = new ArrayList<>();
        List<String> uploaded = new ArrayList<>();
        List<String> junit = new ArrayList<>();
        for (Map<String, Object> step : steps) {
            if (step.get("run") instanceof String run) {
                run.lines().map(CiExamplesTest::withoutSudo).forEach(commands::add);
            }
            String uses = String.valueOf(step.get("uses"));
            Map<String, Object> with = (Map<String, Object>) step.getOrDefault("with", Map.of());
            if (uses.startsWith("actions/upload-artifact@")) {
                assertThat(step.get("if")).as("uploads also after a failure").isEqualTo("always()");
                uploaded.addAll(((String) with.get("path")).lines().toList());
            }
            if (uses.startsWith("mikepenz/action-junit-report@")) {
                assertThat(step.get("if")).as("publishes also after a failure").isEqualTo("always()");
                junit.addAll(((String) with.get("report_paths")).lines().toList());
            }
        }
        assertThat(steps).first().extracting(s -> s.get("uses")).asString().startsWith("actions/checkout@");
        return new Workflow("github-actions.yml", text, commands, uploaded, junit);
    }

    @SuppressWarnings("unchecked")
    static Workflow gitlab() throws Exception {
        String text = Files.readString(TOP.resolve("docs/examples/gitlab-ci.yml"));
        Map<String, Object> job =
                (Map<String, Object>) new Yaml().<Map<String, Object>>load(text).get("vmcluster");
        Map<String, Object> artifacts = (Map<String, Object>) job.get("artifacts");
        assertThat(artifacts.get("when"))
                .as("keeps the artifacts of a failed job")
                .isEqualTo("always");
        return new Workflow(
                "gitlab-ci.yml", text, (List<String>) job.get("script"), (List<String>) artifacts.get("paths"), (List<
                                String>)
                        ((Map<String, Object>) artifacts.get("reports")).get("junit"));
    }

    /** GitHub runs the tool as root: {@code sudo --preserve-env=… COMMAND} → COMMAND. */
    private static String withoutSudo(String line) {
        return line.strip().replaceFirst("^sudo (--preserve-env=\\S+ )?", "");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workflows")
    void runsTheReadmesCommand(Workflow w) throws Exception {
        assertThat(Files.readString(TOP.resolve("README.md"))).contains(README_COMMAND);
        assertThat(w.commands()).anySatisfy(c -> assertThat(c).startsWith(README_COMMAND));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workflows")
    void everyVmclusterCommandIsOneTheCliParsesOnFilesThatExist(Workflow w) {
        List<String> vmcluster = w.commands().stream()
                .filter(c -> c.startsWith("scripts/vmcluster "))
                .toList();
        assertThat(vmcluster).isNotEmpty();
        assertThat(TOP.resolve("scripts/vmcluster")).isExecutable();
        for (String c : vmcluster) {
            String[] args = words(c).subList(1, words(c).size()).toArray(String[]::new);
            StringWriter err = new StringWriter();
            assertThatCode(() -> Vmcluster.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err))
                            .parseArgs(args))
                    .as("%s: %s", w, c)
                    .doesNotThrowAnyException();
            if (args[0].equals("run")) {
                assertThat(TOP.resolve(args[1]))
                        .as("%s: the scenario of %s", w, c)
                        .isRegularFile();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workflows")
    void everyOtherCommandIsMavenOnAProjectThatExists(Workflow w) {
        List<String> others = w.commands().stream()
                .filter(c -> !c.startsWith("scripts/vmcluster "))
                .filter(c -> !isKvmRule(c))
                .toList();
        assertThat(others).isNotEmpty();
        for (String c : others) {
            List<String> words = words(c);
            assertThat(words.get(0)).as("%s: %s", w, c).isEqualTo("mvn");
            int f = words.indexOf("-f");
            if (f >= 0) {
                assertThat(TOP.resolve(words.get(f + 1))).as("%s: %s", w, c).isRegularFile();
            }
        }
        assertThat(others)
                .as("the example project is built")
                .anySatisfy(c -> assertThat(c).contains("-f " + EXAMPLE + "/pom.xml verify"));
    }

    private static boolean isKvmRule(String c) {
        return c.contains("99-kvm4all.rules") || c.startsWith("udevadm ");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workflows")
    void theResultsDirectoriesTheRunsWriteAreUploaded(Workflow w) {
        Path results = Path.of(resultsOption(w));
        assertThat(w.uploaded()).as("%s: a path above %s", w, results).anyMatch(u -> results.startsWith(Path.of(u)));
        String classResults = EXAMPLE + "/" + ClassResults.DEFAULT_ROOT + "/";
        assertThat(w.uploaded()).contains(classResults);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workflows")
    void theJUnitXmlIsPublishedFromWhereItIsWritten(Workflow w) {
        Path scenarioXml = new ResultsDirectory(Path.of(resultsOption(w))).junitXml();
        Path exampleXml = Path.of(EXAMPLE, "target/failsafe-reports/TEST-com.example.etcd.EtcdIT.xml");
        for (Path written : List.of(scenarioXml, exampleXml)) {
            assertThat(w.junit())
                    .as("%s: a JUnit XML path matching %s", w, written)
                    .anySatisfy(glob -> assertThat(FileSystems.getDefault()
                                    .getPathMatcher("glob:" + glob)
                                    .matches(written))
                            .isTrue());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workflows")
    void docsCiShowsTheFileAsItIs(Workflow w) throws Exception {
        assertThat(Files.readString(TOP.resolve("docs/ci.md")))
                .contains("docs/examples/" + w.file())
                .contains("```yaml\n" + w.text() + "```");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workflows")
    void hostedRunnersGetKvm(Workflow w) {
        if (w.file().startsWith("github")) {
            assertThat(w.text()).contains("KERNEL==\"kvm\", GROUP=\"kvm\", MODE=\"0666\"");
        } else {
            assertThat(w.text()).contains("privileged");
        }
    }

    private static String resultsOption(Workflow w) {
        for (String c : w.commands()) {
            List<String> words = words(c);
            int i = words.indexOf("--results");
            if (c.startsWith(README_COMMAND) && i >= 0) {
                return words.get(i + 1);
            }
        }
        throw new AssertionError(w + " runs the scenarios without --results: its results directory has no fixed name");
    }

    private static List<String> words(String command) {
        return Arrays.asList(command.strip().split("\\s+"));
    }
}
