package io.vmcluster.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vmcluster.image.build.ImageBuild;
import io.vmcluster.scenario.run.RunResult;
import io.vmcluster.scenario.run.TestOutcome;
import io.vmcluster.scenario.run.TestOutcome.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * docs/tutorial-own-system.md end to end: a program compiled on the host (examples/kvd/kvd.c,
 * with the host's gcc) goes into an image with {@code --file}, built by the one builder on the
 * shared runtime, and the tutorial's 3-node scenario passes on it (a write acknowledged with
 * fsync survives a crash).
 */
class KvdTutorialIT {
    private static final Path EXAMPLE =
            ScenarioFiles.DIR.resolveSibling("examples").resolve("kvd");
    private static final Path IMAGES = ScenarioFiles.DIR.resolveSibling("images");

    @Test
    void aProgramCompiledOnTheHostRunsInAThreeNodeScenario() throws Exception {
        RealRun.assumeHostCanBootVms();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")), "the tutorial compiles kvd with gcc");
        Path bin = Path.of("target", "kvd").toAbsolutePath();
        Files.createDirectories(bin.getParent());
        Process gcc = new ProcessBuilder(
                        "gcc",
                        "-O2",
                        "-o",
                        bin.toString(),
                        EXAMPLE.resolve("kvd.c").toString())
                .inheritIO()
                .start();
        assertThat(gcc.waitFor(120, TimeUnit.SECONDS)).as("gcc finished").isTrue();
        assertThat(gcc.exitValue()).as("gcc's exit code").isZero();

        Path image = new ImageBuild(IMAGES)
                .build(
                        EXAMPLE.toString(),
                        new ImageBuild.Options(Map.of("/usr/bin/kvd", bin), false, false),
                        line -> System.out.println("[kvd build] " + line));
        assertThat(image.resolve("image.json")).exists();

        RealRun.Finished run = RealRun.run(EXAMPLE.resolve("kvd.yaml"), Map.of("image", image.toString()), "kvd");
        RunResult r = run.result();
        assertThat(r.error()).as("run-level error").isNull();
        assertThat(r.tests())
                .as("both tutorial tests pass: %s", r.tests())
                .extracting(TestOutcome::status)
                .containsExactly(Status.PASSED, Status.PASSED);
    }
}
