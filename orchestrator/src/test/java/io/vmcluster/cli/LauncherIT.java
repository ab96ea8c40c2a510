package io.vmcluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.vmcluster.qemu.StandInQemu;
import io.vmcluster.time.Timing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code scripts/vmcluster} as a user runs it: a real process, from another directory, on this host. */
class LauncherIT {
    private static final Path REPO =
            Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    private static final Path LAUNCHER = REPO.resolve("scripts/vmcluster");

    @TempDir
    Path cwd;

    record Run(int exit, String stdout, String stderr) {}

    private Run vmcluster(Duration timeout, String... args) throws Exception {
        return vmcluster(Map.of(), timeout, args);
    }

    private Run vmcluster(Map<String, String> env, Duration timeout, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(LAUNCHER.toString()));
        argv.addAll(List.of(args));
        Path out = cwd.resolve("stdout");
        Path err = cwd.resolve("stderr");
        ProcessBuilder pb = new ProcessBuilder(argv)
                .directory(cwd.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("scripts/vmcluster " + String.join(" ", args) + " did not finish within " + timeout
                    + "; stderr so far:\n" + Files.readString(err));
        }
        return new Run(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void validateOfABadFileExits2WithFileAndLine() throws Exception {
        Path bad = Files.writeString(cwd.resolve("bad.yaml"), """
                name: bad
                cluster: {defaults: {image: etcd-test}, nodes: 3}
                tests:
                  - name: replication
                    steps:
                      - succed: curl -s localhost:3020/
                        on: node1
                """);
        Run r = vmcluster(Duration.ofMinutes(5), "validate", "bad.yaml");
        assertThat(r.exit()).as("stderr: %s", r.stderr()).isEqualTo(2);
        assertThat(r.stderr())
                .as("file:line:column and the nearest valid step")
                .contains("bad.yaml:6:")
                .contains("did you mean 'succeed'");
        assertThat(bad).exists();
    }

    @Test
    void doctorOnThisHostReportsEachFeatureAndLeavesNoNamespace() throws Exception {
        Run r = vmcluster(Duration.ofMinutes(5), "doctor");
        assertThat(r.stdout())
                .contains("CHECK", "QEMU", "KVM", "network namespaces", "tap + bridge", "nftables bridge filter")
                .contains("host tc netem", "free memory", "test image");
        if (Files.exists(Path.of("/dev/kvm"))) {
            assertThat(line(r.stdout(), "KVM"))
                    .as("a present /dev/kvm is not called usable without a boot")
                    .contains("degraded");
        }
        assertThat(r.exit())
                .as("exit 0 when runs can work, 3 when something is missing:\n%s", r.stdout())
                .isEqualTo(r.stdout().contains("MISSING") ? 3 : 0);
        assertThat(namespaces()).as("doctor's scratch namespace is gone").noneMatch(n -> n.startsWith("vmcdoc-"));
    }

    @Test
    void doctorProbeBootTellsWhetherKvmGuestsLive() throws Exception {
        Path image = Path.of(System.getProperty("user.home"), ".cache/vmcluster/images/etcd-test/image.json");
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            image = Path.of(xdg, "vmcluster/images/etcd-test/image.json");
        }
        assumeThat(image).as("the probe boots the test image's kernel").exists();
        assumeThat(Path.of("/dev/kvm")).exists();
        Run r = vmcluster(Duration.ofMinutes(5), "doctor", "--probe-kvm");
        String kvm = line(r.stdout(), "KVM");
        assertThat(kvm)
                .as("the probe gave a verdict: %s", r.stdout())
                .containsAnyOf("booted under KVM", "hangs", "refused");
    }

    @Test
    void aQemuThatRefusesItsArgumentsIsExit3WithinSecondsInItsOwnWords() throws Exception {
        assumeThat(image()).as("a run needs the built test image").exists();
        assumeThat(StandInQemu.realQemuExists()).isTrue();
        StandInQemu qemu = StandInQemu.refusingItsArguments(cwd.resolve("stand-in"));
        Files.writeString(cwd.resolve("one.yaml"), """
                name: one-node
                cluster: {defaults: {image: etcd-test}, nodes: 1}
                tests:
                  - name: boots
                    steps:
                      - succeed: "true"
                        on: node1
                """);
        long start = System.nanoTime();
        Run r = vmcluster(
                Map.of("VMC_QEMU", qemu.path().toString()),
                Duration.ofMinutes(5),
                "run",
                "one.yaml",
                "--accel",
                "tcg",
                "--results",
                cwd.resolve("results").toString());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(r.exit())
                .as(
                        "a host whose QEMU cannot boot the cluster is exit 3, not a failed test:%n%s%n%s",
                        r.stdout(), r.stderr())
                .isEqualTo(3);
        assertThat(r.stderr())
                .as("the reason in QEMU's words, and the fix")
                .contains("the cluster did not boot")
                .contains("QEMU exited with status 1")
                .contains("'vmc-no-such-device' is not a valid device model name")
                .contains("fix: QEMU refused to run this VM");
        assertThat(r.stdout())
                .as("the console showed QEMU's stderr when it happened")
                .contains("vmc-no-such-device");
        assertThat(took)
                .as("QEMU's exit ends the wait: no 30 s QMP connect bound (JVM start included)")
                .isLessThan(Timing.standard().scale(Duration.ofSeconds(60)));
        assertThat(qemu.invocations())
                .as("one start of one node, after the preflight's --version")
                .filteredOn(l -> !l.equals("--version"))
                .hasSize(1);
    }

    private static Path image() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("vmcluster/images/etcd-test/image.json");
    }

    private static String line(String table, String check) {
        return table.lines().filter(l -> l.startsWith(check + " ")).findFirst().orElse("");
    }

    private static List<String> namespaces() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "netns", "list")
                .redirectErrorStream(true)
                .start();
        p.waitFor(10, TimeUnit.SECONDS);
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .toList();
    }
}
