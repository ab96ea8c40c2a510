package io.vmcluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.events.Event;
import io.vmcluster.events.EventsFile;
import io.vmcluster.suite.SuiteManifest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import picocli.CommandLine;

/**
 * {@code run} with several scenarios and {@code --shard K/N}, and {@code merge}, wired with a
 * stand-in cluster (no VMs; scripts/shard-merge-smoke runs two shards and a merge on real ones).
 */
class SuiteRunTest {
    @TempDir
    Path dir;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();
    private Path alpha, beta, gamma, chaos;
    private Runnable preflight = () -> {};

    private static String scenario(String name, String command) {
        return """
                name: %s
                cluster: {defaults: {image: /images/stand-in}, nodes: 2}
                tests:
                  - name: first
                    steps:
                      - succeed: echo one
                        on: node1
                  - name: second
                    steps:
                      - succeed: %s
                        on: node2
                """.formatted(name, command);
    }

    @BeforeEach
    void files() throws Exception {
        alpha = Files.writeString(dir.resolve("alpha.yaml"), scenario("alpha", "echo two"));
        beta = Files.writeString(dir.resolve("beta.yaml"), scenario("beta", "bad command"));
        gamma = Files.writeString(dir.resolve("gamma.yaml"), scenario("gamma", "echo three"));
        chaos = Files.writeString(dir.resolve("chaos.yaml"), """
                name: chaos
                cluster: {defaults: {image: /images/stand-in}, nodes: 3}
                tests:
                  - name: t
                    steps:
                      - nemesis:
                          length: 200ms
                          duration: 50ms
                          gap: 50ms
                          faults: [crash: random]
                """);
    }

    private int vmcluster(Object... args) {
        out = new StringWriter();
        err = new StringWriter();
        RunCommand run = new RunCommand();
        run.preflight = preflight;
        run.launcher = (scenario, options, events, bootTimeout) ->
                new RunCommandTest.StandIn(scenario.cluster().nodes());
        CommandLine cl = Vmcluster.configure(
                new CommandLine(new Vmcluster(), new CommandLine.IFactory() {
                    @Override
                    @SuppressWarnings("unchecked")
                    public <K> K create(Class<K> cls) throws Exception {
                        return cls == RunCommand.class
                                ? (K) run
                                : CommandLine.defaultFactory().create(cls);
                    }
                }),
                new PrintWriter(out, true),
                new PrintWriter(err, true));
        return cl.execute(Stream.of(args).map(String::valueOf).toArray(String[]::new));
    }

    private String said() {
        return "stdout:\n" + out + "\nstderr:\n" + err;
    }

    private static Document xml(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    private static List<String> suiteNames(Document d) {
        List<String> names = new ArrayList<>();
        var suites = d.getElementsByTagName("testsuite");
        for (int i = 0; i < suites.getLength(); i++) names.add(((Element) suites.item(i)).getAttribute("name"));
        return names;
    }

    @Nested
    class Run {
        @Test
        void severalScenariosRunEachIntoItsOwnDirectoryAndTheSuiteIsReportedAtTheTop() throws Exception {
            Path results = dir.resolve("all");
            int exit = vmcluster("run", gamma, alpha, beta, "--results", results, "--accel=tcg");

            assertThat(exit).as(said()).isEqualTo(1);
            assertThat(out.toString())
                    .contains("Suite: 3 scenarios = 3 runs")
                    .contains("Run 1/3: alpha", "Run 2/3: beta", "Run 3/3: gamma")
                    .contains("Suite:   2 of 3 runs passed; failed: beta");
            for (String s : List.of("alpha", "beta", "gamma")) {
                assertThat(results.resolve(s).resolve("report.html"))
                        .as("each run's own page")
                        .isRegularFile();
            }
            Document junit = xml(results.resolve("test-output.xml"));
            assertThat(junit.getDocumentElement().getTagName()).isEqualTo("testsuites");
            assertThat(junit.getDocumentElement().getAttribute("tests")).isEqualTo("6");
            assertThat(junit.getDocumentElement().getAttribute("failures")).isEqualTo("1");
            assertThat(suiteNames(junit)).containsExactly("alpha", "beta", "gamma");
            assertThat(Files.readString(results.resolve("report.html")))
                    .contains("<title>FAIL suite: alpha, beta, gamma — vmcluster suite</title>")
                    .contains("2 of 3 runs passed")
                    .contains("href=\"beta/report.html#test-2\"");
        }

        @Test
        void aShardRunsItsShareOfTheRoundsAndSaysWhich() throws Exception {
            int exit = vmcluster(
                    "run",
                    alpha,
                    gamma,
                    "--repeat",
                    "2",
                    "--shard",
                    "2/3",
                    "--results",
                    dir.resolve("s2"),
                    "--accel=tcg");

            assertThat(exit).as(said()).isZero();
            assertThat(out.toString())
                    .contains("Suite: 2 scenarios × 2 rounds = 4 runs; shard 2/3 runs 1: alpha/round-2");
            SuiteManifest m = SuiteManifest.read(dir.resolve("s2"));
            assertThat(m.count()).isEqualTo(3);
            assertThat(m.plan()).containsExactly("alpha/round-1", "alpha/round-2", "gamma/round-1", "gamma/round-2");
            assertThat(m.units()).extracting(SuiteManifest.UnitRecord::unit).containsExactly("alpha/round-2");
            assertThat(dir.resolve("s2/alpha/round-2/test-output.xml")).isRegularFile();
            assertThat(dir.resolve("s2/gamma")).doesNotExist();
        }

        @Test
        void aShardWritesItsSuiteJsonBeforeItsFirstRunSoAShardKilledEarlyStillNamesItself() {
            Path s1 = dir.resolve("s1");
            List<Boolean> seen = new ArrayList<>();
            preflight = () -> seen.add(Files.isRegularFile(s1.resolve("suite.json")));
            assertThat(vmcluster("run", alpha, beta, "--shard", "1/2", "--results", s1, "--accel=tcg"))
                    .as(said())
                    .isZero();
            assertThat(seen)
                    .as("suite.json is there when the shard's first run begins")
                    .containsExactly(true);
        }

        @Test
        void aShardWithNothingToRunPassesAndLeavesAnEmptyShardToMerge() throws Exception {
            int exit = vmcluster("run", alpha, "--shard", "2/2", "--results", dir.resolve("s2"), "--accel=tcg");

            assertThat(exit).as(said()).isZero();
            assertThat(out.toString()).contains("shard 2/2 runs 0 (fewer runs than shards)");
            assertThat(SuiteManifest.read(dir.resolve("s2")).units()).isEmpty();
            assertThat(xml(dir.resolve("s2/test-output.xml"))
                            .getDocumentElement()
                            .getAttribute("tests"))
                    .isEqualTo("0");
        }

        @Test
        void aBadShardIsExit2SayingWhatIsValid() {
            assertThat(vmcluster("run", alpha, "--shard", "3/2")).as(said()).isEqualTo(2);
            assertThat(err.toString()).contains("'3/2': the shard K must be 1 to N (2), found 3");
            assertThat(vmcluster("run", alpha, "--shard", "two")).isEqualTo(2);
            assertThat(err.toString()).contains("'two' is not K/N").contains("(e.g. 2/3)");
            assertThat(dir.resolve("results")).doesNotExist();
        }

        @Test
        void shardedRoundsOfAChaosScenarioNeedOneSeedOnEveryMachine() throws Exception {
            assertThat(vmcluster("run", chaos, "--repeat", "2", "--shard", "1/2", "--results", dir.resolve("x")))
                    .as(said())
                    .isEqualTo(2);
            assertThat(err.toString())
                    .contains("chaos draws a nemesis schedule per round")
                    .contains("give --seed N");
            assertThat(dir.resolve("x")).doesNotExist();

            assertThat(vmcluster(
                            "run",
                            chaos,
                            "--repeat",
                            "2",
                            "--shard",
                            "2/2",
                            "--seed",
                            "5",
                            "--results",
                            dir.resolve("y"),
                            "--accel=tcg"))
                    .as(said())
                    .isZero();
            long seed = io.vmcluster.scenario.run.NemesisOptions.derive(5, 1);
            assertThat(out.toString()).contains("Run 1/1: chaos/round-2, seed " + seed);
            assertThat(io.vmcluster.nemesis.ScheduleJson.read(dir.resolve("y/chaos/round-2/schedule.json"))
                            .seed())
                    .as("round 2 draws the seed it would draw unsharded")
                    .isEqualTo(seed);
        }

        @Test
        void twoScenariosOfOneNameOrOptionsOfOneScenarioAreExit2() throws Exception {
            Path copy = Files.writeString(dir.resolve("copy.yaml"), Files.readString(alpha));
            assertThat(vmcluster("run", alpha, copy)).isEqualTo(2);
            assertThat(err.toString()).contains(copy + ": scenario 'alpha' is also the name of " + alpha);
            assertThat(vmcluster("run", alpha, beta, "--keep-failed")).isEqualTo(2);
            assertThat(err.toString()).contains("--keep-failed keeps one scenario's cluster");
            assertThat(vmcluster("run", alpha, "--shard", "1/2", "--schedule", alpha))
                    .isEqualTo(2);
            assertThat(err.toString()).contains("--schedule replays one scenario's schedule");
        }
    }

    @Nested
    class Merge {
        private Path s1, s2;

        @BeforeEach
        void twoShards() {
            s1 = dir.resolve("s1");
            s2 = dir.resolve("s2");
            assertThat(vmcluster("run", alpha, beta, gamma, "--shard", "1/2", "--results", s1, "--accel=tcg"))
                    .as(said())
                    .isIn(0, 1);
            assertThat(vmcluster("run", gamma, beta, alpha, "--shard", "2/2", "--results", s2, "--accel=tcg"))
                    .as(said())
                    .isIn(0, 1);
        }

        @Test
        void theShardsMergeIntoTheSuiteOneMachineWouldHaveWritten() throws Exception {
            Path merged = dir.resolve("merged");
            int exit = vmcluster("merge", s2, s1, "--results", merged);

            assertThat(exit).as(said()).isEqualTo(1);
            assertThat(out.toString())
                    .contains("Merged 2 shards of 2: 2 of 3 runs passed; failed: beta")
                    .contains("Report:  " + merged.resolve("report.html"));
            SuiteManifest m = SuiteManifest.read(merged);
            assertThat(m.shards()).containsExactly(1, 2);
            assertThat(m.units())
                    .extracting(SuiteManifest.UnitRecord::unit, SuiteManifest.UnitRecord::shard)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("alpha", 1),
                            org.assertj.core.groups.Tuple.tuple("beta", 2),
                            org.assertj.core.groups.Tuple.tuple("gamma", 1));
            Document junit = xml(merged.resolve("test-output.xml"));
            assertThat(junit.getDocumentElement().getAttribute("tests")).isEqualTo("6");
            assertThat(junit.getDocumentElement().getAttribute("failures")).isEqualTo("1");
            assertThat(suiteNames(junit)).containsExactly("alpha", "beta", "gamma");
            assertThat(junit.getElementsByTagName("failure").item(0).getTextContent())
                    .as("the failure's evidence comes along")
                    .contains("bad command", "err-text");
            List<Event> events = EventsFile.read(merged.resolve("events.jsonl")).events();
            assertThat(events).extracting(e -> e.fields().get("unit")).contains("alpha", "beta", "gamma");
            assertThat(events).as("in time order").isSortedAccordingTo(java.util.Comparator.comparing(Event::time));
            assertThat(events.stream().filter(e -> "beta".equals(e.fields().get("unit"))))
                    .allMatch(e -> Integer.valueOf(2).equals(e.fields().get("shard")));
            String page = Files.readString(merged.resolve("report.html"));
            assertThat(page)
                    .contains("<div class=\"verdict\" id=\"verdict\">FAILED</div>")
                    .contains("2 of 3 runs passed")
                    .contains("tests: <span class=\"count passed\">5 passed")
                    .contains("id=\"unit-beta\"")
                    .contains("shard 2")
                    .contains("href=\"beta/report.html#test-2\"")
                    .as("a lane per shard")
                    .contains(">shard 1", ">shard 2");
            assertThat(merged.resolve("beta/report.html")).isRegularFile();
            assertThat(Files.readString(merged.resolve("alpha/events.jsonl")))
                    .as("a unit's directory is copied as it is")
                    .isEqualTo(Files.readString(s1.resolve("alpha/events.jsonl")));

            assertThat(vmcluster("report", merged)).as(said()).isZero();
            assertThat(Files.readString(merged.resolve("report.html")))
                    .as("report rebuilds the suite's page, not a single run's")
                    .contains("— vmcluster suite</title>");
        }

        @Test
        void aMissingShardIsExit2NamingItAndItsRuns() {
            assertThat(vmcluster("merge", s1, "--results", dir.resolve("m"))).isEqualTo(2);
            assertThat(err.toString()).contains("shard 2/2 is missing (units: beta): give every shard's directory");
            assertThat(dir.resolve("m")).doesNotExist();
        }

        @Test
        void theSameShardTwiceIsExit2() {
            assertThat(vmcluster("merge", s1, s1, s2, "--results", dir.resolve("m")))
                    .isEqualTo(2);
            assertThat(err.toString()).contains(s1 + " is given twice");
            Path copy = dir.resolve("copy-of-s1");
            assertThat(vmcluster("run", alpha, beta, gamma, "--shard", "1/2", "--results", copy, "--accel=tcg"))
                    .isIn(0, 1);
            assertThat(vmcluster("merge", s1, copy, s2, "--results", dir.resolve("m")))
                    .isEqualTo(2);
            assertThat(err.toString()).contains("shard 1/2 is given twice: " + s1 + " and " + copy);
        }

        @Test
        void shardsOfAnotherSplitOrOtherScenariosAreExit2() {
            Path other = dir.resolve("o");
            assertThat(vmcluster("run", alpha, beta, gamma, "--shard", "2/3", "--results", other, "--accel=tcg"))
                    .isIn(0, 1);
            assertThat(vmcluster("merge", s1, other, "--results", dir.resolve("m")))
                    .isEqualTo(2);
            assertThat(err.toString())
                    .contains(other + " is not a shard of the same suite as " + s1
                            + ": it was split into 3 shards, the other into 2");

            Path fewer = dir.resolve("f");
            assertThat(vmcluster("run", alpha, gamma, "--shard", "2/2", "--results", fewer, "--accel=tcg"))
                    .isIn(0, 1);
            assertThat(vmcluster("merge", s1, fewer, "--results", dir.resolve("m")))
                    .isEqualTo(2);
            assertThat(err.toString()).contains("its scenarios differ (only the other has beta)");
        }

        @Test
        void aDirectoryThatIsNotAShardsIsExit2() {
            Path single = dir.resolve("single");
            assertThat(vmcluster("run", alpha, "--results", single, "--accel=tcg"))
                    .isZero();
            assertThat(vmcluster("merge", s1, single, "--results", dir.resolve("m")))
                    .isEqualTo(2);
            assertThat(err.toString())
                    .contains(single
                            + ": not a suite's results directory: it has no suite.json (it is one scenario's run");
            assertThat(vmcluster("merge", s1, dir.resolve("nope"))).isEqualTo(2);
            assertThat(err.toString()).contains(dir.resolve("nope") + ": no such directory");
        }

        @Test
        void aShardThatStoppedEarlyIsExit2() throws Exception {
            // shard 1 ran alpha and gamma; say it finished only alpha, as a killed run would leave it
            SuiteManifest m = SuiteManifest.read(s1);
            new SuiteManifest(
                            m.count(),
                            m.plan(),
                            m.repeat(),
                            m.seed(),
                            m.shards(),
                            m.units().subList(0, 1))
                    .write(s1);
            assertThat(vmcluster("merge", s1, s2, "--results", dir.resolve("m")))
                    .isEqualTo(2);
            assertThat(err.toString()).contains(s1 + ": shard 1/2 holds no results for gamma");
        }

        @Test
        void aShardsDirectoryThatIsAbsentOrEmptyIsExit2NamingTheShard() throws Exception {
            Path gone = dir.resolve("s2-gone");
            assertThat(vmcluster("merge", s1, gone, "--results", dir.resolve("m")))
                    .isEqualTo(2);
            assertThat(err.toString())
                    .contains("shard 2/2 is missing (units: beta): give every shard's directory")
                    .contains(gone + ": no such directory")
                    .contains("or --allow-missing");
            Path empty = Files.createDirectories(dir.resolve("s2-empty"));
            assertThat(vmcluster("merge", s1, empty, "--results", dir.resolve("m")))
                    .isEqualTo(2);
            assertThat(err.toString()).contains("shard 2/2 is missing").contains(empty + ": an empty directory");
            assertThat(dir.resolve("m")).doesNotExist();
        }

        @Test
        void withAllowMissingTheOthersAreMergedAndTheReportNamesTheMissingShard() throws Exception {
            Path merged = dir.resolve("m");
            Path gone = dir.resolve("s2-gone");
            int exit = vmcluster("merge", s1, gone, "--allow-missing", "--results", merged);

            assertThat(exit)
                    .as("the suite did not pass: beta did not run; " + said())
                    .isEqualTo(1);
            assertThat(out.toString())
                    .contains("Skipped: " + gone + ": no such directory")
                    .contains("Missing: shard 2/2 (units: beta): no directory of it was merged")
                    .contains("Merged 1 shard of 2: 2 of 3 runs passed; missing: beta");
            SuiteManifest m = SuiteManifest.read(merged);
            assertThat(m.shards()).containsExactly(1);
            assertThat(m.units()).extracting(SuiteManifest.UnitRecord::unit).containsExactly("alpha", "gamma");
            assertThat(m.missing()).singleElement().satisfies(x -> {
                assertThat(x.shard()).isEqualTo(2);
                assertThat(x.units()).containsExactly("beta");
                assertThat(x.partly()).isFalse();
            });
            assertThat(merged.resolve("alpha/report.html")).isRegularFile();
            assertThat(merged.resolve("beta")).doesNotExist();
            String page = Files.readString(merged.resolve("report.html"));
            assertThat(page)
                    .contains("<div class=\"verdict\" id=\"verdict\">FAILED</div>")
                    .contains("suite: alpha, beta, gamma, without shard 2/2")
                    .contains("<h2>Missing shards</h2>")
                    .contains("<b>shard 2/2</b>: runs beta")
                    .contains("1 missing</span>")
                    .contains("<td class=\"missing\">missing</td>");
            Document junit = xml(merged.resolve("test-output.xml"));
            assertThat(suiteNames(junit)).containsExactly("alpha", "gamma", "beta");
            assertThat(junit.getDocumentElement().getAttribute("errors"))
                    .as("a CI reporter sees the missing run")
                    .isEqualTo("1");
            assertThat(junit.getElementsByTagName("error").item(0).getTextContent())
                    .contains("beta did not run here: shard 2/2 was merged without");

            assertThat(vmcluster("report", merged)).as(said()).isEqualTo(0);
            assertThat(Files.readString(merged.resolve("report.html")))
                    .as("report rebuilds it from suite.json, the missing shard kept")
                    .contains("<h2>Missing shards</h2>");

            Path whole = dir.resolve("whole");
            assertThat(vmcluster("merge", merged, s2, "--results", whole))
                    .as("the missing shard merged in later: " + said())
                    .isEqualTo(1);
            assertThat(out.toString()).contains("Merged 2 shards of 2: 2 of 3 runs passed; failed: beta");
            assertThat(SuiteManifest.read(whole).missing()).isEmpty();
            assertThat(Files.readString(whole.resolve("report.html"))).doesNotContain("Missing shards");
        }

        @Test
        void withAllowMissingAShardThatStoppedEarlyIsMergedInPart() throws Exception {
            SuiteManifest m = SuiteManifest.read(s1);
            new SuiteManifest(
                            m.count(),
                            m.plan(),
                            m.repeat(),
                            m.seed(),
                            m.shards(),
                            m.units().subList(0, 1))
                    .write(s1);
            Path merged = dir.resolve("m");
            assertThat(vmcluster("merge", s1, s2, "--allow-missing", "--results", merged))
                    .as(said())
                    .isEqualTo(1);
            assertThat(out.toString())
                    .contains("Missing: shard 1/2 in part (units: gamma): " + s1 + ": its run stopped early")
                    .contains("missing: gamma");
            SuiteManifest got = SuiteManifest.read(merged);
            assertThat(got.units()).extracting(SuiteManifest.UnitRecord::unit).containsExactly("alpha", "beta");
            assertThat(got.missing())
                    .singleElement()
                    .satisfies(x -> assertThat(x.partly()).isTrue());
            assertThat(merged.resolve("gamma"))
                    .as("an unlisted run's directory is not copied")
                    .doesNotExist();
            assertThat(Files.readString(merged.resolve("report.html")))
                    .contains("<b>shard 1/2 in part</b>: runs gamma");

            assertThat(vmcluster("merge", merged, "--results", dir.resolve("again")))
                    .as("without --allow-missing a merge of it is refused")
                    .isEqualTo(2);
            assertThat(err.toString()).contains("shard 1/2 holds no results for gamma");
        }

        @Test
        void allowMissingDoesNotAcceptWhatIsNoShardsResultsOrNothingAtAll() throws Exception {
            Path single = dir.resolve("single");
            assertThat(vmcluster("run", alpha, "--results", single, "--accel=tcg"))
                    .isZero();
            assertThat(vmcluster("merge", s1, single, "--allow-missing", "--results", dir.resolve("m")))
                    .isEqualTo(2);
            assertThat(err.toString()).contains(single + ": not a suite's results directory");
            assertThat(vmcluster(
                            "merge",
                            dir.resolve("a"),
                            dir.resolve("b"),
                            "--allow-missing",
                            "--results",
                            dir.resolve("m")))
                    .isEqualTo(2);
            assertThat(err.toString()).contains(": nothing to merge");
            assertThat(vmcluster("merge", s1, s2, "--allow-missing", "--results", dir.resolve("m")))
                    .as("with every shard there it is a plain merge")
                    .isEqualTo(1);
            assertThat(out.toString()).doesNotContain("Missing").contains("2 of 3 runs passed; failed: beta");
        }

        @Test
        void theMergedDirectoryMustBeNewOrEmpty() throws Exception {
            Files.writeString(Files.createDirectories(dir.resolve("m")).resolve("x"), "x");
            assertThat(vmcluster("merge", s1, s2, "--results", dir.resolve("m")))
                    .isEqualTo(2);
            assertThat(err.toString()).contains("exists and is not empty");
            assertThat(vmcluster("merge", s1, s2, "--results", s1.resolve("inner")))
                    .isEqualTo(2);
            assertThat(err.toString()).contains("may not be inside " + s1);
        }
    }
}
