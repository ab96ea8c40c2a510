package io.vmcluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.qemu.Accelerator;
import io.vmcluster.scenario.ScenarioException;
import io.vmcluster.yaml.Location;
import io.vmcluster.yaml.Problem;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class VmclusterCliTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        return Vmcluster.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private static <T> T parse(Class<T> type, String... args) {
        CommandLine cl =
                Vmcluster.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        CommandLine.ParseResult pr = cl.parseArgs(args);
        while (pr.hasSubcommand()) {
            pr = pr.subcommand();
        }
        return type.cast(pr.commandSpec().userObject());
    }

    @Nested
    class RunOptions {
        @Test
        void everyOption() {
            RunCommand run = parse(
                    RunCommand.class,
                    "run",
                    "scenarios/x.yaml",
                    "--results",
                    "out/r1",
                    "--accel",
                    "TCG",
                    "--param",
                    "jobq.mode=local",
                    "-p",
                    "n=5",
                    "--timeout",
                    "45m");
            assertThat(run.scenarioFiles).containsExactly(Path.of("scenarios/x.yaml"));
            assertThat(run.results).isEqualTo(Path.of("out/r1"));
            assertThat(run.accel).as("enum values are case-insensitive").isEqualTo(Accelerator.TCG);
            assertThat(run.params).containsExactly(Map.entry("jobq.mode", "local"), Map.entry("n", "5"));
            assertThat(run.timeout).isEqualTo(Duration.ofMinutes(45));
        }

        @Test
        void defaults() {
            RunCommand run = parse(RunCommand.class, "run", "s.yaml");
            assertThat(run.accel).isEqualTo(Accelerator.AUTO);
            assertThat(run.results)
                    .as("chosen from the time and the scenario at run time")
                    .isNull();
            assertThat(run.timeout).as("the scenario's own").isNull();
            assertThat(run.params).isEmpty();
        }

        @Test
        void aBadAcceleratorIsInvalidInputNamingTheValidOnes() {
            assertThat(execute("run", "s.yaml", "--accel", "xen")).isEqualTo(2);
            assertThat(err.toString()).contains("--accel", "xen", "AUTO, KVM, TCG");
        }

        @Test
        void aBadDurationSaysWhatIsAllowed() {
            assertThat(execute("run", "s.yaml", "--timeout", "5 fortnights")).isEqualTo(2);
            assertThat(err.toString()).contains("--timeout", "250ms, 5s, 1.5s, 2m or 1h");
        }

        @Test
        void aParamWithoutValueIsInvalid() {
            assertThat(execute("run", "s.yaml", "--param", "novalue")).isEqualTo(2);
            assertThat(err.toString()).contains("KEY=VALUE");
        }

        @Test
        void aMissingScenarioFileIsInvalidInputBeforeAnythingElse() {
            assertThat(execute("run", "/nonexistent/s.yaml")).isEqualTo(2);
            assertThat(err.toString()).contains("/nonexistent/s.yaml", "no such file");
        }
    }

    @Nested
    class Validate {
        @TempDir
        Path dir;

        @Test
        void badFileGivesFileLineColumnAndExit2() {
            Path bad = write("bad.yaml", """
                    name: bad
                    cluster: {defaults: {image: etcd-test}, nodes: 2}
                    tests:
                      - name: t
                        steps:
                          - succeed: echo hi
                            on: node7
                    """);
            assertThat(execute("validate", bad.toString())).isEqualTo(2);
            assertThat(err.toString())
                    .as("names the file, line and column and the valid nodes")
                    .contains(bad + ":7:")
                    .contains("node7")
                    .contains("node1");
        }

        @Test
        void goodFileIsOk() {
            Path good = write("good.yaml", """
                    cluster: {defaults: {image: etcd-test}, nodes: 2}
                    tests: [{name: a, steps: [{log: hi}]}]
                    """);
            assertThat(execute("validate", good.toString())).isZero();
            assertThat(out.toString()).contains("good.yaml: ok", "1 tests", "node1, node2");
        }

        @Test
        void oneBadFileAmongGoodOnesFailsTheWhole() {
            Path good = write(
                    "good.yaml",
                    "cluster: {defaults: {image: etcd-test}, nodes: 1}\ntests: [{name: a, steps: [{log: hi}]}]\n");
            assertThat(execute(
                            "validate",
                            good.toString(),
                            dir.resolve("missing.yaml").toString()))
                    .isEqualTo(2);
            assertThat(err.toString()).contains("missing.yaml", "1 of 2 file(s) invalid");
        }

        private Path write(String name, String text) {
            try {
                return Files.writeString(dir.resolve(name), text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Nested
    class ExitCodeMapping {
        private final ExitCodes codes = new ExitCodes(new Verbosity());

        @Test
        void eachKindOfTroubleHasItsCode() {
            assertThat(codes.exitCodeFor(new InvalidInputException("x"))).isEqualTo(ExitCode.INVALID_INPUT);
            assertThat(codes.exitCodeFor(new ScenarioException(new Problem(Location.of(Path.of("f")), "bad"))))
                    .isEqualTo(ExitCode.INVALID_INPUT);
            assertThat(codes.exitCodeFor(new HostLacksException("no qemu"))).isEqualTo(ExitCode.HOST_LACKS);
            assertThat(codes.exitCodeFor(new io.vmcluster.image.InvalidImageException("cannot build", null)))
                    .isEqualTo(ExitCode.HOST_LACKS);
            assertThat(codes.exitCodeFor(new IllegalStateException("bug"))).isEqualTo(ExitCode.INTERNAL_ERROR);
        }

        @Test
        void causesAreLookedThrough() {
            assertThat(codes.exitCodeFor(new RuntimeException("wrapped", new HostLacksException("no kvm"))))
                    .isEqualTo(ExitCode.HOST_LACKS);
        }

        @Test
        void theNumbersAreTheDocumentedOnes() {
            assertThat(ExitCode.PASSED.code()).isZero();
            assertThat(ExitCode.TEST_FAILED.code()).isEqualTo(1);
            assertThat(ExitCode.INVALID_INPUT.code()).isEqualTo(2);
            assertThat(ExitCode.HOST_LACKS.code()).isEqualTo(3);
        }

        @Test
        void noSubcommandIsAUsageError() {
            assertThat(execute()).isEqualTo(2);
            assertThat(execute("frobnicate")).isEqualTo(2);
        }

        @Test
        void helpAndVersionSucceed() {
            assertThat(execute("--help")).isZero();
            assertThat(out.toString()).contains("run", "validate", "doctor", "image", "Exit codes:");
            assertThat(execute("--version")).isZero();
        }
    }

    @Nested
    class Verbose {
        @Test
        void countsMapToLogLevels() {
            assertThat(Verbosity.logLevel(0)).isEqualTo("warn");
            assertThat(Verbosity.logLevel(1)).isEqualTo("info");
            assertThat(Verbosity.logLevel(2)).isEqualTo("debug");
            assertThat(Verbosity.logLevel(7)).isEqualTo("trace");
        }

        @Test
        void vIsCountedOnAnyCommandLevel() {
            Verbosity v = new Verbosity();
            CommandLine cl =
                    Vmcluster.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
            v.configure(cl.parseArgs("-v", "validate", "-vv", "x.yaml"));
            assertThat(v.level()).isEqualTo(3);
        }
    }
}
