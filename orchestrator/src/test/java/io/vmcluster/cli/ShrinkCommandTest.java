package io.vmcluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.command.CommandResult;
import io.vmcluster.nemesis.Schedule;
import io.vmcluster.nemesis.ScheduleJson;
import io.vmcluster.scenario.run.ClusterLauncher;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code shrink} against a scripted cluster: the check fails whenever the replayed schedule has a
 * fault on node2, so the smallest failing schedule is one fault on node2.
 */
class ShrinkCommandTest {
    @TempDir
    Path dir;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    static final String SCENARIO = """
            name: chaos
            cluster: {defaults: {image: /images/stand-in}, nodes: 3}
            tests:
              - name: first
                steps:
                  - succeed: "true"
                    on: node1
              - name: chaos
                steps:
                  - nemesis:
                      length: 800ms
                      duration: 60ms
                      gap: 40ms
                      faults: [pause: random, crash: random]
                  - succeed: check
                    on: node1
            """;

    /** How many clusters the launcher booted. */
    int launched;

    /**
     * Fails "check" when a fault of this run hit node2 (since the boot, or since the last restore:
     * a kept cluster serves several runs); snapshots are no-ops.
     */
    final ClusterLauncher launcher = (sc, options, events, bootTimeout) -> {
        launched++;
        return new RunCommandTest.StandIn(sc.cluster().nodes()) {
            volatile boolean hit;

            @Override
            public void snapshot(io.vmcluster.cluster.SnapshotName name) {}

            @Override
            public void restore(io.vmcluster.cluster.SnapshotName name) {
                hit = false;
            }

            @Override
            public java.util.List<io.vmcluster.fault.Fault> startFault(
                    io.vmcluster.fault.FaultSpec<java.util.List<String>> fault) {
                if (fault.toString().contains("node2")) hit = true;
                return java.util.List.of();
            }

            @Override
            public CommandResult exec(String node, String command, Duration timeout) {
                if (!command.equals("check")) return super.exec(node, command, timeout);
                return CommandResult.ofText(node, command, hit ? 1 : 0, "", hit ? "node2 was hit" : "", Duration.ZERO);
            }
        };
    };

    int cli(Object command, String... args) {
        CommandLine cl =
                Vmcluster.configure(new CommandLine(command), new PrintWriter(out, true), new PrintWriter(err, true));
        return cl.execute(args);
    }

    int run(Path results, String... extra) throws Exception {
        Path file = dir.resolve("s.yaml");
        if (!Files.exists(file)) Files.writeString(file, SCENARIO);
        RunCommand cmd = new RunCommand();
        cmd.preflight = () -> {};
        cmd.launcher = launcher;
        String[] args = new String[4 + extra.length];
        args[0] = file.toString();
        args[1] = "--results";
        args[2] = results.toString();
        args[3] = "--accel=tcg";
        System.arraycopy(extra, 0, args, 4, extra.length);
        return cli(cmd, args);
    }

    int shrink(Path results, String... extra) {
        ShrinkCommand cmd = new ShrinkCommand();
        cmd.preflight = () -> {};
        cmd.launcher = launcher;
        String[] args = new String[2 + extra.length];
        args[0] = results.toString();
        args[1] = "--accel=tcg";
        System.arraycopy(extra, 0, args, 2, extra.length);
        return cli(cmd, args);
    }

    @Test
    void aFailingRunShrinksToOneFaultOnTheNodeThatMatters() throws Exception {
        Path results = dir.resolve("results");
        assertThat(run(results, "--seed", "3")).as("stdout:%n%s", out).isEqualTo(1);
        Schedule original = ScheduleJson.read(results.resolve("schedule.json"));
        assertThat(original.faults()).hasSizeGreaterThan(3);

        assertThat(shrink(results)).as("stdout:%n%s%nstderr:%n%s", out, err).isZero();
        Schedule minimal = ScheduleJson.read(results.resolve("shrink/schedule.json"));
        assertThat(minimal.faults()).hasSize(1);
        assertThat(minimal.faults().get(0).fault().toString()).contains("node2");
        assertThat(original.faults())
                .as("a fault of the original, its id and start kept")
                .anyMatch(f -> f.id() == minimal.faults().get(0).id()
                        && f.at().equals(minimal.faults().get(0).at()));
        String summary = Files.readString(results.resolve("shrink/shrink.json"));
        assertThat(summary).contains("\"faultsBefore\" : " + original.faults().size(), "\"faultsAfter\" : 1");
        int runs = (int) new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(summary)
                .get("runs")
                .asLong();
        assertThat(results.resolve("shrink/try-" + runs)).isDirectory();
        assertThat(results.resolve("shrink/try-" + (runs + 1))).doesNotExist();
        assertThat(out.toString())
                .contains("keeping test 'chaos' failing at ")
                .contains("Shrunk " + original.faults().size() + " fault(s)")
                .contains("to 1 (", "in " + runs + " run(s)");

        // the minimal schedule replays to the same verdict
        out.getBuffer().setLength(0);
        assertThat(run(
                        dir.resolve("replay"),
                        "--schedule",
                        results.resolve("shrink/schedule.json").toString()))
                .isEqualTo(1);
        assertThat(Files.readString(dir.resolve("replay/run.log"))).contains("node2 was hit");
    }

    @Test
    void withASnapshotBeforeTheNemesisOnlyTheFirstTryBootsTheOthersRestoreIt() throws Exception {
        Files.writeString(
                dir.resolve("s.yaml"),
                SCENARIO.replace(
                                "        on: node1\n  - name: chaos\n",
                                "        on: node1\n      - snapshot: formed\n"
                                        + "  - name: chaos\n    fresh: formed\n")
                        .replace("name: chaos\ncluster", "name: chaos-warm\ncluster"));
        Path results = dir.resolve("results");
        assertThat(run(results, "--seed", "3")).as("stdout:%n%s", out).isEqualTo(1);
        launched = 0;
        assertThat(shrink(results)).as("stdout:%n%s%nstderr:%n%s", out, err).isZero();
        assertThat(launched).as("one boot for every try").isEqualTo(1);
        var summary = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Files.readString(results.resolve("shrink/shrink.json")));
        assertThat(summary.get("runs").asInt()).isGreaterThan(2);
        var tries = summary.get("tries");
        assertThat(tries.get(0).get("start").asText()).isEqualTo("boot");
        for (int i = 1; i < tries.size(); i++) {
            assertThat(tries.get(i).get("start").asText()).isEqualTo("restore");
        }
        assertThat(out.toString()).contains("restoring snapshot 'formed' of the kept cluster instead of booting");
        Schedule minimal = ScheduleJson.read(results.resolve("shrink/schedule.json"));
        assertThat(minimal.faults())
                .as("the same answer as with a boot per try")
                .hasSize(1)
                .allMatch(f -> f.fault().toString().contains("node2"));
    }

    @Test
    void theRunBudgetBoundsTheTries() throws Exception {
        Path results = dir.resolve("results");
        run(results, "--seed", "3");
        assertThat(shrink(results, "--budget", "2")).isZero();
        assertThat(results.resolve("shrink/try-2")).isDirectory();
        assertThat(results.resolve("shrink/try-3")).doesNotExist();
        assertThat(out.toString()).contains("the budget ran out");
    }

    @Test
    void aPassedRunOrADirectoryWithoutAScheduleIsExit2() throws Exception {
        Path results = dir.resolve("results");
        run(results, "--seed", "3");
        Files.delete(results.resolve("schedule.json"));
        assertThat(shrink(results)).isEqualTo(2);
        assertThat(err.toString()).contains("has no schedule.json");
        assertThat(shrink(dir.resolve("nowhere"))).isEqualTo(2);
        assertThat(err.toString()).contains("not a results directory");
        assertThat(shrink(results, "--budget", "lots")).isEqualTo(2);
        assertThat(err.toString()).contains("--budget lots: a number of runs (20) or a duration (2h)");
    }
}
