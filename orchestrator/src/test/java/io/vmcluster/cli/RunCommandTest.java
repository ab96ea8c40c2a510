package io.vmcluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.cluster.NodeBootException;
import io.vmcluster.command.CommandResult;
import io.vmcluster.fault.FaultSpec;
import io.vmcluster.scenario.run.ClusterApi;
import io.vmcluster.scenario.run.ClusterLauncher;
import io.vmcluster.scenario.step.LifecycleStep;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import picocli.CommandLine;

/**
 * The wiring of {@code run}: parse → runner → events → console, run.log, events.jsonl,
 * test-output.xml → exit code, with a stand-in cluster (no VMs: those are the scenario ITs').
 */
class RunCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String scenarioText, String... extra) throws Exception {
        return run(
                (scenario, options, events, bootTimeout) ->
                        new StandIn(scenario.cluster().nodes()),
                scenarioText,
                extra);
    }

    private int run(ClusterLauncher launcher, String scenarioText, String... extra) throws Exception {
        Path file = Files.writeString(dir.resolve("s.yaml"), scenarioText);
        RunCommand cmd = new RunCommand();
        cmd.preflight = () -> {};
        cmd.launcher = launcher;
        CommandLine cl =
                Vmcluster.configure(new CommandLine(cmd), new PrintWriter(out, true), new PrintWriter(err, true));
        String[] args = new String[2 + 2 + extra.length];
        args[0] = file.toString();
        args[1] = "--results";
        args[2] = dir.resolve("results").toString();
        args[3] = "--accel=tcg";
        System.arraycopy(extra, 0, args, 4, extra.length);
        return cl.execute(java.util.Arrays.copyOf(args, 4 + extra.length));
    }

    private static final String SCENARIO = """
            name: wiring
            cluster: {defaults: {image: /images/stand-in}, nodes: 2}
            params: {word: hello}
            tests:
              - name: passes
                steps:
                  - succeed: echo ${word}
                    on: node1
                  - show: list
                    on: all
              - name: fails
                steps:
                  - succeed: bad command
                    on: node2
            """;

    @Test
    void aFailedTestIsExit1WithEveryReportWritten() throws Exception {
        int exit = run(SCENARIO);

        assertThat(exit).as("stdout:%n%s%nstderr:%n%s", out, err).isEqualTo(1);
        Path results = dir.resolve("results");
        Document xml = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(Files.readAllBytes(results.resolve("test-output.xml"))));
        assertThat(xml.getDocumentElement().getAttribute("tests")).isEqualTo("2");
        assertThat(xml.getDocumentElement().getAttribute("failures")).isEqualTo("1");
        Element failure = (Element) xml.getElementsByTagName("failure").item(0);
        assertThat(failure.getTextContent())
                .as("the failure names node, command, exit code and output")
                .contains("node2", "bad command", "7", "out-text", "err-text");
        assertThat(Files.readString(results.resolve("events.jsonl"))).contains("\"kind\":\"test.end\"");
        assertThat(Files.readString(results.resolve("run.log")))
                .contains("FAIL fails", "node2 $ bad command", "err-text", "Tests failed");
        assertThat(out.toString())
                .contains("── passes", "PASS passes", "FAIL fails")
                .contains("Summary", "node1: listed on node1", "node2: listed on node2")
                .contains("Tests failed: 1 passed, 1 failed")
                .contains("Report:  " + results.resolve("report.html"))
                .contains("Results: " + results)
                .doesNotContain("\u001b[");
        assertThat(Files.readString(results.resolve("report.html")))
                .as("the page of the run, written at its end")
                .contains("<title>FAIL wiring — vmcluster</title>")
                .contains("data-node=\"node2\"");
        assertThat(xml.getElementsByTagName("system-out").item(1).getTextContent())
                .as("the failed test case lists its steps")
                .contains("FAIL succeed on node2: bad command");
    }

    @Test
    void allPassedIsExit0() throws Exception {
        int exit = run(SCENARIO.substring(0, SCENARIO.indexOf("  - name: fails")));
        assertThat(exit).as("stdout:%n%s%nstderr:%n%s", out, err).isZero();
        assertThat(out.toString()).contains("All tests passed: 1 passed");
    }

    @Test
    void aParamOverrideReachesTheSteps() throws Exception {
        run(SCENARIO, "--param", "word=goodbye");
        assertThat(Files.readString(dir.resolve("results/run.log"))).contains("echo goodbye");
    }

    @Test
    void anUndeclaredParamIsExit2AndNothingStarts() throws Exception {
        assertThat(run(SCENARIO, "--param", "nope=1")).isEqualTo(2);
        assertThat(err.toString()).contains("nope");
        assertThat(dir.resolve("results"))
                .as("nothing was started, not even a results directory")
                .doesNotExist();
    }

    @Test
    void aClusterTheHostCannotBootIsExit3WithTheFixNotATestFailure() throws Exception {
        int exit = run(
                (scenario, options, events, bootTimeout) -> {
                    throw new NodeBootException(
                            "node1",
                            "under tcg, QEMU exited with status 1 0.1 s after its start while waiting for its QMP"
                                    + " socket: 'vmc-no-such-device' is not a valid device model name",
                            "",
                            "qemu-system-x86_64: -device vmc-no-such-device: 'vmc-no-such-device' is not a valid device"
                                    + " model name",
                            NodeBootException.Fix.QEMU_EXITED,
                            null);
                },
                SCENARIO);
        assertThat(exit).as("stdout:%n%s%nstderr:%n%s", out, err).isEqualTo(3);
        assertThat(err.toString())
                .contains("this host lacks something: the cluster did not boot: node node1: under tcg, QEMU exited")
                .contains("is not a valid device model name")
                .contains("fix: QEMU refused to run this VM");
        assertThat(out.toString())
                .as("the report is written all the same: the tests were not run")
                .contains("SKIP passes", "not run: the cluster did not start: node node1: under tcg");
        assertThat(dir.resolve("results/test-output.xml")).exists();
    }

    @Test
    void aClusterThatDidNotBootBecauseOfABugIsExit4() throws Exception {
        int exit = run(
                (scenario, options, events, bootTimeout) -> {
                    throw new IllegalStateException("no verdict on KVM from the first VM start within 135 s");
                },
                SCENARIO);
        assertThat(exit).as("stderr:%n%s", err).isEqualTo(4);
        assertThat(err.toString()).contains("vmcluster failed", "no verdict on KVM");
    }

    private static final String CHAOS = """
            name: chaos
            cluster: {defaults: {image: /images/stand-in}, nodes: 3}
            tests:
              - name: t
                steps:
                  - nemesis:
                      length: 300ms
                      duration: 50ms
                      gap: 50ms
                      faults: [crash: random]
            """;

    @Test
    void theSeedIsPrintedAtTheStartAndWithTheResults() throws Exception {
        assertThat(run(CHAOS, "--seed", "1234"))
                .as("stdout:%n%s%nstderr:%n%s", out, err)
                .isZero();
        assertThat(out.toString())
                .contains("Running chaos on 3 nodes, seed 1234")
                .contains("Seed:    1234 (again: --seed 1234; this schedule exactly: --schedule "
                        + dir.resolve("results/schedule.json") + ")");
        assertThat(io.vmcluster.nemesis.ScheduleJson.read(dir.resolve("results/schedule.json"))
                        .seed())
                .isEqualTo(1234);
        assertThat(Files.readString(dir.resolve("results/report.html"))).contains("1234");
    }

    @Test
    void withoutASeedOneIsChosenAndPrinted() throws Exception {
        assertThat(run(CHAOS)).isZero();
        long seed = io.vmcluster.nemesis.ScheduleJson.read(dir.resolve("results/schedule.json"))
                .seed();
        assertThat(out.toString()).contains("Running chaos on 3 nodes, seed " + seed, "Seed:    " + seed + " ");
    }

    @Test
    void aScenarioWithoutANemesisPrintsNoSeed() throws Exception {
        run(SCENARIO);
        assertThat(out.toString()).doesNotContain("seed", "Seed");
    }

    @Test
    void theScheduleOfARunReplays() throws Exception {
        assertThat(run(CHAOS, "--seed", "77")).isZero();
        Path stored = Files.copy(dir.resolve("results/schedule.json"), dir.resolve("stored.json"));
        Files.move(dir.resolve("results"), dir.resolve("first"));
        out.getBuffer().setLength(0);
        assertThat(run(CHAOS, "--schedule", stored.toString()))
                .as("stderr:%n%s", err)
                .isZero();
        assertThat(out.toString()).contains("replaying the schedule of seed 77", "Seed:    77 (replayed " + stored);
        assertThat(Files.readString(dir.resolve("results/schedule.json"))).isEqualTo(Files.readString(stored));
    }

    @Test
    void aBadScheduleIsExit2NamingTheEntryAndNothingStarts() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), """
                {"format": 1, "seed": 1, "nodes": ["node1", "node2", "node3"], "lengthMs": 1000, "recoveryMs": 0,
                 "faults": [{"id": 0, "atMs": 10, "durationMs": 5, "fault": {"kind": "crush", "nodes": ["node1"]}}]}
                """);
        assertThat(run(CHAOS, "--schedule", bad.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("invalid input: --schedule " + bad + ": fault entry 1", "crush");
        assertThat(dir.resolve("results")).doesNotExist();
    }

    @Test
    void aMissingScheduleOrOneForOtherNodesOrWithASeedIsExit2() throws Exception {
        assertThat(run(CHAOS, "--schedule", dir.resolve("none.json").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("none.json: no such file");
        Path two = Files.writeString(dir.resolve("two.json"), """
                {"format": 1, "seed": 1, "nodes": ["a", "b"], "lengthMs": 1000, "recoveryMs": 0, "faults": []}
                """);
        assertThat(run(CHAOS, "--schedule", two.toString())).isEqualTo(2);
        assertThat(err.toString())
                .contains("drawn for nodes [a, b], but the scenario's cluster has [node1, node2, node3]");
        assertThat(run(CHAOS, "--schedule", two.toString(), "--seed", "3")).isEqualTo(2);
        assertThat(err.toString()).contains("--seed and --schedule exclude each other");
        assertThat(run(SCENARIO, "--schedule", two.toString())).isEqualTo(2);
    }

    @Test
    void repeatRunsEveryRoundWithADerivedSeedAndReportsTheRateAndTheFailedSeeds() throws Exception {
        // the command fails when the nemesis's first fault hit node2: some seeds pass, some fail
        String scenario = CHAOS + """
                      - succeed: check
                        on: node1
                """;
        int exit = run(
                (sc, options, events, bootTimeout) -> new StandIn(sc.cluster().nodes()) {
                    @Override
                    public CommandResult exec(String node, String command, Duration timeout) {
                        if (command.equals("check")) {
                            boolean bad;
                            try {
                                bad = io.vmcluster.nemesis.ScheduleJson.read(
                                                options.runDir().resolve("schedule.json"))
                                        .faults()
                                        .get(0)
                                        .fault()
                                        .toString()
                                        .contains("node2");
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                            return CommandResult.ofText(node, command, bad ? 1 : 0, "", "", Duration.ZERO);
                        }
                        return super.exec(node, command, timeout);
                    }
                },
                scenario,
                "--repeat",
                "6",
                "--seed",
                "10");
        Path results = dir.resolve("results");
        List<String> failed = new java.util.ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            long seed = io.vmcluster.scenario.run.NemesisOptions.derive(10, i - 1);
            assertThat(out.toString()).contains("Round " + i + "/6, seed " + seed);
            var s = io.vmcluster.nemesis.ScheduleJson.read(results.resolve("round-" + i + "/schedule.json"));
            assertThat(s.seed()).isEqualTo(seed);
            if (s.faults().get(0).fault().toString().contains("node2")) failed.add("round " + i + " seed " + seed);
        }
        assertThat(failed).as("seeds 10.. give both verdicts").isNotEmpty().hasSizeLessThan(6);
        assertThat(exit).isEqualTo(1);
        assertThat(out.toString())
                .contains("Rounds:  " + (6 - failed.size()) + " of 6 passed; failed: " + String.join(", ", failed));
        Document xml = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(Files.readAllBytes(results.resolve("test-output.xml"))));
        assertThat(xml.getDocumentElement().getAttribute("tests")).isEqualTo("6");
        assertThat(xml.getDocumentElement().getAttribute("failures")).isEqualTo(Integer.toString(failed.size()));
        assertThat(((Element) xml.getElementsByTagName("testcase").item(0)).getAttribute("name"))
                .isEqualTo("round 1 (seed 10)");
    }

    @Test
    void aRepeatStoppedMidRoundHasTheRoundsThatEndedAndTheStoppedOneInItsTopLevelReport() throws Exception {
        // round 2 fails; during round 3 the top-level test-output.xml is what a kill at that moment leaves
        String scenario = CHAOS + """
                      - succeed: check
                        on: node1
                """;
        Path top = dir.resolve("results/test-output.xml");
        int[] rounds = {0};
        byte[][] duringRound3 = {null};
        int exit = run(
                (sc, options, events, bootTimeout) -> new StandIn(sc.cluster().nodes()) {
                    @Override
                    public CommandResult exec(String node, String command, Duration timeout) {
                        if (command.equals("check")) {
                            int round = ++rounds[0];
                            if (round == 3) {
                                try {
                                    duringRound3[0] = Files.readAllBytes(top);
                                } catch (java.io.IOException e) {
                                    throw new java.io.UncheckedIOException(e);
                                }
                            }
                            return CommandResult.ofText(node, command, round == 2 ? 1 : 0, "", "", Duration.ZERO);
                        }
                        return super.exec(node, command, timeout);
                    }
                },
                scenario,
                "--repeat",
                "3",
                "--seed",
                "10");
        assertThat(exit).as("stdout:%n%s%nstderr:%n%s", out, err).isEqualTo(1);
        assertThat(duringRound3[0])
                .as("the top-level test-output.xml exists while round 3 runs")
                .isNotNull();
        Document xml = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(duringRound3[0]));
        assertThat(xml.getDocumentElement().getAttribute("tests")).isEqualTo("3");
        var cases = xml.getElementsByTagName("testcase");
        assertThat(((Element) cases.item(0)).getAttribute("name")).isEqualTo("round 1 (seed 10)");
        assertThat(((Element) cases.item(0)).getElementsByTagName("failure").getLength())
                .as("round 1 passed")
                .isZero();
        assertThat(((Element) cases.item(1))
                        .getElementsByTagName("failure")
                        .item(0)
                        .getTextContent())
                .as("round 2 failed, naming its failed test")
                .contains("failed: t");
        Element third = (Element) cases.item(2);
        assertThat(third.getAttribute("name"))
                .as("the running round, with the seed it draws from")
                .isEqualTo("round 3 (seed " + io.vmcluster.scenario.run.NemesisOptions.derive(10, 2) + ")");
        assertThat(((Element) third.getElementsByTagName("failure").item(0)).getAttribute("message"))
                .contains("did not finish", "round-3");
        Document end = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(Files.readAllBytes(top)));
        assertThat(end.getDocumentElement().getAttribute("failures"))
                .as("after the last round: only round 2 failed")
                .isEqualTo("1");
    }

    private static final String WARM = """
            name: warm
            cluster: {defaults: {image: /images/stand-in}, nodes: 3}
            tests:
              - name: formed
                steps:
                  - find_node: {on: all, run: wholeads, where: {stdout_equals: leader}, capture: leader}
                  - succeed: echo formed
                    on: node1
                    capture: word
                  - snapshot: formed
              - name: chaos
                fresh: formed
                steps:
                  - succeed: echo ${word} ${leader}
                    on: node1
                  - nemesis:
                      length: 300ms
                      duration: 50ms
                      gap: 50ms
                      faults: [pause: probe leader]
            """;

    /** A stand-in that logs commands, snapshots, restores, faults and close; the n-th restore (from 1) throws. */
    private ClusterLauncher warmLauncher(List<String> log, int[] launched, int failingRestore) {
        int[] restores = {0};
        return (sc, options, events, bootTimeout) -> {
            launched[0]++;
            return new StandIn(sc.cluster().nodes()) {
                @Override
                public CommandResult exec(String node, String command, Duration timeout) {
                    if (command.equals("wholeads")) {
                        log.add("wholeads " + node);
                        return CommandResult.ofText(
                                node, command, 0, node.equals("node2") ? "leader" : "follower", "", Duration.ZERO);
                    }
                    log.add(node + ": " + command);
                    return super.exec(node, command, timeout);
                }

                @Override
                public void snapshot(io.vmcluster.cluster.SnapshotName name) {
                    log.add("snapshot " + name.value());
                }

                @Override
                public void restore(io.vmcluster.cluster.SnapshotName name) {
                    log.add("restore " + name.value());
                    if (++restores[0] == failingRestore) throw new IllegalStateException("snapshot-load failed");
                }

                @Override
                public List<io.vmcluster.fault.Fault> startFault(FaultSpec<List<String>> fault) {
                    log.add("fault " + fault);
                    return List.of();
                }

                @Override
                public void close() {
                    log.add("close");
                    // as a real cluster's shutdown does: after the last round, whose events file is closed
                    events.record(
                            io.vmcluster.events.EventKind.NODE_STATE, "node1", java.util.Map.of("state", "STOPPED"));
                }
            };
        };
    }

    @Test
    void repeatOfAScenarioWithASnapshotBootsOnceAndLaterRoundsRestoreItWithTheFirstRoundsState() throws Exception {
        List<String> log = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        int[] launched = {0};
        int exit = run(warmLauncher(log, launched, 0), WARM, "--repeat", "3", "--seed", "4");
        assertThat(exit).as("stdout:%n%s%nstderr:%n%s", out, err).isZero();
        assertThat(launched[0]).as("one boot for three rounds").isEqualTo(1);
        assertThat(log.stream().filter(l -> l.startsWith("snapshot") || l.startsWith("restore") || l.equals("close")))
                .as("the first round takes the snapshot and restores it (fresh:), each later round restores it,"
                        + " the cluster closes once at the end")
                .containsExactly("snapshot formed", "restore formed", "restore formed", "restore formed", "close");
        assertThat(log.stream().filter(l -> l.equals("node1: echo formed")))
                .as("the tests before the restart test ran once")
                .hasSize(1);
        assertThat(log.stream().filter(l -> l.equals("node1: echo formed node2")))
                .as("every round's restart test sees the first round's captures")
                .hasSize(3);
        assertThat(log.stream().filter(l -> l.startsWith("fault ")))
                .as("the probe is asked again in every round")
                .isNotEmpty()
                .allMatch(l -> l.equals("fault pause node2"));
        assertThat(out.toString())
                .contains("Round 1/3, seed 4, booting")
                .contains("Round 2/3, seed " + io.vmcluster.scenario.run.NemesisOptions.derive(4, 1)
                        + ", restoring snapshot 'formed' of the kept cluster instead of booting")
                .contains("Rounds:  3 of 3 passed");
        Path results = dir.resolve("results");
        for (int round = 2; round <= 3; round++) {
            String events = Files.readString(results.resolve("round-" + round + "/events.jsonl"));
            assertThat(events)
                    .contains("\"reused\":true")
                    .contains("not run again: this round starts from snapshot 'formed'");
            assertThat(io.vmcluster.nemesis.ScheduleJson.read(results.resolve("round-" + round + "/schedule.json"))
                            .seed())
                    .as("the round's own seed, in schedule.json: the nemesis count carried over")
                    .isEqualTo(io.vmcluster.scenario.run.NemesisOptions.derive(4, round - 1));
        }
    }

    @Test
    void aWarmRoundWhoseRestoreFailsIsRunAgainFromABoot() throws Exception {
        List<String> log = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        int[] launched = {0};
        // restore 1 is round 1's fresh:, restore 2 round 2's: it fails
        int exit = run(warmLauncher(log, launched, 2), WARM, "--repeat", "3", "--seed", "4");
        assertThat(exit).as("stdout:%n%s%nstderr:%n%s", out, err).isZero();
        assertThat(launched[0])
                .as("round 1, and round 2 again after its restore failed")
                .isEqualTo(2);
        Path results = dir.resolve("results");
        assertThat(results.resolve("round-2-restore-failed/events.jsonl")).exists();
        assertThat(out.toString())
                .contains("The restore of snapshot 'formed' failed")
                .contains("running this again from a boot")
                .contains("Round 3/3, seed " + io.vmcluster.scenario.run.NemesisOptions.derive(4, 2)
                        + ", restoring snapshot 'formed'")
                .contains("Rounds:  3 of 3 passed");
        assertThat(log.stream().filter(l -> l.equals("close")))
                .as("each cluster closed once")
                .hasSize(2);
    }

    /** Answers every command; "bad..." fails with exit 7; "list" names the node. */
    static class StandIn implements ClusterApi {
        private final List<String> nodes;

        StandIn(List<String> nodes) {
            this.nodes = nodes;
        }

        @Override
        public List<String> nodes() {
            return nodes;
        }

        @Override
        public CommandResult exec(String node, String command, Duration timeout) {
            if (command.startsWith("bad")) {
                return CommandResult.ofText(node, command, 7, "out-text", "err-text", Duration.ofMillis(3));
            }
            String stdout = command.equals("list") ? "listed on " + node : command.replace("echo ", "");
            return CommandResult.ofText(node, command, 0, stdout, "", Duration.ofMillis(3));
        }

        @Override
        public void waitForService(String node, String service, Duration timeout) {}

        @Override
        public void waitForPort(String node, int port, Duration timeout) {}

        @Override
        public void controlService(String node, String service, ServiceAction action, Duration timeout) {}

        @Override
        public void killProcess(String node, String process, Duration timeout) {}

        @Override
        public void lifecycle(String node, LifecycleStep.Action action, Duration timeout) {}

        @Override
        public void applyFault(FaultSpec<List<String>> fault, Duration timeout) {}

        @Override
        public List<io.vmcluster.fault.Fault> startFault(FaultSpec<List<String>> fault) {
            return List.of();
        }

        @Override
        public void healAll() {}

        @Override
        public void close() {}
    }
}
