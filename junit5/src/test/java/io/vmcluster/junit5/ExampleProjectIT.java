package io.vmcluster.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/junit5-etcd, a standalone project that knows vmcluster only by its coordinates, built
 * and tested against the artifacts this build made: they are installed (pom, jar, sources,
 * Javadoc) with Maven's own install plugin into a fresh local repository — never the shared
 * ~/.m2 — and the example's {@code mvn verify} runs its three tests on real VMs.
 */
@EnabledIf("io.vmcluster.junit5.RealVms#available")
class ExampleProjectIT {
    static final Path TOP = Path.of("..").toAbsolutePath().normalize();
    static final String VERSION = System.getProperty("vmc.project.version", "0.1.0-SNAPSHOT");
    static final String INSTALL = "org.apache.maven.plugins:maven-install-plugin:3.1.4:install-file";
    static final String LIST = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:list";

    @Test
    void theEtcdExampleBuildsOnTheInstalledArtifactsAndItsTestsPass(@TempDir Path work) throws Exception {
        Path repo = work.resolve("m2");
        Path settings = seedSettings(work);
        install(repo, settings, TOP.resolve("pom.xml"), null);
        for (String module : List.of("qmp", "orchestrator", "junit5")) {
            Path dir = TOP.resolve(module);
            install(repo, settings, dir.resolve("pom.xml"), dir.resolve("target/vmcluster-" + module + "-" + VERSION));
        }
        assertThat(repo.resolve("io/vmcluster/vmcluster-orchestrator/" + VERSION))
                .as("what a consumer gets: the library jar with sources and Javadoc, not the CLI jar")
                .isDirectoryContaining("glob:**/vmcluster-orchestrator-" + VERSION + ".jar")
                .isDirectoryContaining("glob:**/vmcluster-orchestrator-" + VERSION + "-sources.jar")
                .isDirectoryContaining("glob:**/vmcluster-orchestrator-" + VERSION + "-javadoc.jar");

        Path example = work.resolve("junit5-etcd");
        copyTree(TOP.resolve("examples/junit5-etcd"), example);
        Path log = work.resolve("example-build.log");
        int exit = mvn(
                log,
                example,
                "-s",
                settings.toString(),
                "-Dmaven.repo.local=" + repo,
                "-Dvmcluster.version=" + VERSION,
                "-Dvmc.timing.multiplier=" + System.getProperty("vmc.timing.multiplier", "1"),
                "verify");

        assertThat(exit)
                .as("mvn verify of the example; its output:\n%s", tail(log))
                .isZero();
        Path xml = example.resolve("target/failsafe-reports/TEST-com.example.etcd.EtcdIT.xml");
        assertThat(Files.readString(xml))
                .as("the example's JUnit XML")
                .contains("tests=\"3\"")
                .contains("failures=\"0\"")
                .contains("errors=\"0\"")
                .contains("skipped=\"0\"");

        Path deps = work.resolve("dependencies.txt");
        assertThat(mvn(
                        work.resolve("dependency-list.log"),
                        example,
                        "-s",
                        settings.toString(),
                        "-Dmaven.repo.local=" + repo,
                        "-Dvmcluster.version=" + VERSION,
                        "-DoutputFile=" + deps,
                        LIST))
                .isZero();
        assertThat(Files.readString(deps))
                .as("what the example's tests get from vmcluster: the library, not the CLI's baggage")
                .contains("io.vmcluster:vmcluster-orchestrator:jar:" + VERSION)
                .contains("io.vmcluster:vmcluster-qmp:jar:" + VERSION)
                .doesNotContain("info.picocli")
                .containsOnlyOnce("org.slf4j:slf4j-simple"); // the example's own choice
    }

    /** A settings file that serves what ~/.m2 already holds (plugins, dependencies) as a repository, Central after it. */
    private static Path seedSettings(Path work) throws IOException {
        String seed = Path.of(System.getProperty("user.home"), ".m2", "repository")
                .toUri()
                .toString();
        String repository = "<id>seed</id><url>" + seed
                + "</url><releases><enabled>true</enabled></releases><snapshots><enabled>false</enabled></snapshots>";
        Path settings = work.resolve("settings.xml");
        Files.writeString(
                settings,
                "<settings><profiles><profile><id>seed</id>"
                        + "<repositories><repository>" + repository + "</repository></repositories>"
                        + "<pluginRepositories><pluginRepository>" + repository
                        + "</pluginRepository></pluginRepositories>"
                        + "</profile></profiles><activeProfiles><activeProfile>seed</activeProfile></activeProfiles>"
                        + "</settings>");
        return settings;
    }

    /** Maven's install-file: the pom, and for a jar module its jar, sources and Javadoc (base = path without ".jar"). */
    private static void install(Path repo, Path settings, Path pom, Path base) throws Exception {
        List<String> args = new ArrayList<>(
                List.of("-s", settings.toString(), "-Dmaven.repo.local=" + repo, INSTALL, "-DpomFile=" + pom));
        if (base == null) {
            args.add("-Dfile=" + pom);
            args.add("-Dpackaging=pom");
        } else {
            args.add("-Dfile=" + base + ".jar");
            args.add("-Dsources=" + base + "-sources.jar");
            args.add("-Djavadoc=" + base + "-javadoc.jar");
        }
        Path log = Files.createTempFile(repo.getParent(), "install", ".log");
        int exit = mvn(log, TOP, args.toArray(String[]::new));
        assertThat(exit).as("installing %s; output:\n%s", pom, tail(log)).isZero();
    }

    private static int mvn(Path log, Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("mvn", "-B", "-ntp"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("mvn " + String.join(" ", args) + " ran past 30 minutes; output:\n" + tail(log));
        }
        return p.exitValue();
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.filter(p -> !p.toString().contains("/target")).toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
    }
}
