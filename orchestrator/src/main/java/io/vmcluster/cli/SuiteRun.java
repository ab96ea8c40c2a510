package io.vmcluster.cli;

import io.vmcluster.image.ImageStore;
import io.vmcluster.report.ResultsDirectory;
import io.vmcluster.scenario.Scenario;
import io.vmcluster.scenario.ScenarioParser;
import io.vmcluster.scenario.run.NemesisOptions;
import io.vmcluster.suite.Shard;
import io.vmcluster.suite.SuiteManifest;
import io.vmcluster.suite.SuitePlan;
import io.vmcluster.suite.SuiteResults;
import io.vmcluster.suite.SuiteUnit;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code vmcluster run} with several scenarios or {@code --shard K/N}: a suite. Every scenario is
 * parsed and checked first (exit 2, nothing boots); the plan ({@link SuitePlan}) orders the units
 * (scenario × round), this machine runs its shard's share one after the other, each as a single run
 * into {@code <results>/<unit>/}, and the suite's {@code suite.json}, JUnit XML, events and page
 * are written at the top (after every unit, so a killed run keeps what finished). Exit 0 when every
 * unit passed, 1 when one failed, 3/4 when a cluster did not boot (the rest are not run).
 */
final class SuiteRun implements Callable<Integer> {
    private final RunCommand cmd;

    SuiteRun(RunCommand cmd) {
        this.cmd = cmd;
    }

    @Override
    public Integer call() {
        PrintWriter out = cmd.spec.commandLine().getOut();
        PrintWriter err = cmd.spec.commandLine().getErr();
        refuseSingleRunOptions();
        if (cmd.repeat < 1 || cmd.repeat > 10_000) {
            throw new InvalidInputException("--repeat " + cmd.repeat + ": must be 1 to 10000");
        }
        Shard shard = cmd.shard == null ? Shard.ALL : cmd.shard;
        Map<String, Scenario> byName = new LinkedHashMap<>();
        Map<String, Path> files = new LinkedHashMap<>();
        for (Path file : cmd.scenarioFiles) {
            Scenario s = cmd.withTimeout(ScenarioParser.parse(
                    file,
                    cmd.params,
                    ImageParamsLookup.standard(
                            ImageBuilder.standard(), ImageStore.standard().cacheDir())));
            ScenarioImages.check(
                    s, ImageBuilder.standard(), ImageStore.standard().cacheDir());
            Path before = files.putIfAbsent(s.name(), file);
            if (before != null) {
                throw new InvalidInputException(file + ": scenario '" + s.name() + "' is also the name of " + before
                        + (before.normalize().equals(file.normalize()) ? " (the same file given twice)" : "")
                        + "; the scenarios of a suite need names of their own (each is a results directory)");
            }
            byName.put(s.name(), s);
        }
        SuitePlan plan;
        try {
            plan = SuitePlan.of(new ArrayList<>(byName.keySet()), cmd.repeat);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
        Long base = baseSeed(byName.values(), shard);
        List<SuiteUnit> mine = plan.share(shard);
        ResultsDirectory dir = RunCommand.createResults(
                cmd.results != null
                        ? new ResultsDirectory(cmd.results)
                        : ResultsDirectory.under(
                                Path.of("results"),
                                shard.count() == 1 ? "suite" : "shard-" + shard.index() + "-of-" + shard.count(),
                                LocalDateTime.now()),
                cmd.results != null);
        // suite.json from the start: a shard that dies before its first run ends (or fails its preflight)
        // still names itself, so merge can say which shard stopped early instead of "not a suite"
        List<SuiteManifest.UnitRecord> done = new ArrayList<>();
        writeSuite(dir, plan, shard, base, done);
        if (!mine.isEmpty()) {
            cmd.preflight.run();
            mine.stream().map(u -> byName.get(u.scenario())).distinct().forEach(s -> RunCommand.ensureImages(s, err));
        }
        out.println("Suite: " + byName.size() + " scenario" + (byName.size() == 1 ? "" : "s")
                + (cmd.repeat > 1 ? " × " + cmd.repeat + " rounds" : "") + " = "
                + plan.units().size() + " runs"
                + (base != null && cmd.repeat > 1 ? ", base seed " + base : "")
                + (shard.count() > 1
                        ? "; shard " + shard + " runs " + mine.size()
                                + (mine.isEmpty() ? " (fewer runs than shards)" : ": " + ids(mine))
                        : ""));
        out.flush();
        Rounds rounds = new Rounds(cmd.accel, cmd.launcher, cmd.capturePackets).cold(cmd.cold);
        String host = hostName();
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < mine.size(); i++) {
            SuiteUnit u = mine.get(i);
            NemesisOptions nemesis = cmd.repeat > 1 && base != null
                    ? NemesisOptions.seed(NemesisOptions.derive(base, u.round() - 1))
                    : cmd.seed != null ? NemesisOptions.seed(cmd.seed) : NemesisOptions.NONE;
            out.println();
            out.println("Run " + (i + 1) + "/" + mine.size() + ": " + u.id()
                    + (nemesis.seed() != null && cmd.repeat > 1 ? ", seed " + nemesis.seed() : ""));
            out.flush();
            ResultsDirectory unitDir =
                    RunCommand.createResults(new ResultsDirectory(dir.root().resolve(u.id())), cmd.results != null);
            Rounds.Round r = rounds.runOnce(byName.get(u.scenario()), unitDir, nemesis, out, err);
            done.add(new SuiteManifest.UnitRecord(
                    u.id(),
                    u.scenario(),
                    u.round(),
                    shard.index(),
                    host,
                    files.get(u.scenario()).toString(),
                    r.seed()));
            if (!r.report().passed()) failed.add(u.id());
            writeSuite(dir, plan, shard, base, done);
            if (r.result().bootFailure() != null) {
                throw RunCommand.bootFailure(r.result().bootFailure());
            }
        }
        out.println();
        out.println("Suite:   " + (done.size() - failed.size()) + " of " + done.size() + " runs passed"
                + (failed.isEmpty() ? "" : "; failed: " + String.join(", ", failed))
                + (shard.count() > 1 ? " (shard " + shard + "; vmcluster merge joins the shards)" : ""));
        out.println("Report:  " + dir.htmlReport());
        out.println("Results: " + dir.root());
        out.flush();
        return (failed.isEmpty() ? ExitCode.PASSED : ExitCode.TEST_FAILED).code();
    }

    private void refuseSingleRunOptions() {
        String what = cmd.shard != null ? "--shard" : "several scenarios";
        if (cmd.keepFailed || cmd.pauseOnFailure || cmd.name != null) {
            throw new InvalidInputException(
                    (cmd.keepFailed ? "--keep-failed" : cmd.pauseOnFailure ? "--pause-on-failure" : "--name")
                            + " keeps one scenario's cluster: it does not go with " + what
                            + " (run the failing scenario alone with it)");
        }
        if (cmd.schedule != null) {
            throw new InvalidInputException("--schedule replays one scenario's schedule: it does not go with " + what
                    + " (run that scenario alone with it)");
        }
    }

    /**
     * The base seed of the rounds: --seed; without it one is chosen on one machine, but shards must
     * agree on it, so sharded rounds of a scenario with a nemesis need --seed.
     */
    private Long baseSeed(java.util.Collection<Scenario> scenarios, Shard shard) {
        if (cmd.seed != null) return cmd.seed;
        if (cmd.repeat == 1) return null;
        TreeSet<String> chaotic = new TreeSet<>();
        scenarios.stream().filter(s -> s.nemesisRuns() > 0).forEach(s -> chaotic.add(s.name()));
        if (chaotic.isEmpty()) return null;
        if (shard.count() > 1) {
            throw new InvalidInputException("--shard " + shard + " with --repeat " + cmd.repeat + ": "
                    + String.join(", ", chaotic) + " draw" + (chaotic.size() == 1 ? "s" : "")
                    + " a nemesis schedule per round from a base seed every shard must share: give --seed N"
                    + " (the same on every machine)");
        }
        return new java.security.SecureRandom().nextLong();
    }

    private static void writeSuite(
            ResultsDirectory dir, SuitePlan plan, Shard shard, Long base, List<SuiteManifest.UnitRecord> done) {
        new SuiteManifest(
                        shard.count(),
                        plan.units().stream().map(SuiteUnit::id).toList(),
                        plan.units().isEmpty() ? 1 : plan.units().get(0).rounds(),
                        base,
                        new TreeSet<>(List.of(shard.index())),
                        done)
                .write(dir.root());
        SuiteResults.write(dir.root());
    }

    private static String ids(List<SuiteUnit> units) {
        List<String> ids = units.stream().map(SuiteUnit::id).toList();
        return ids.size() <= 8 ? String.join(", ", ids) : String.join(", ", ids.subList(0, 8)) + ", …";
    }

    /** This machine's name as the report shows it: $HOSTNAME (a pod's name), else /etc/hostname. */
    static String hostName() {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isBlank()) return h.strip();
        try {
            return Files.readString(Path.of("/etc/hostname")).strip();
        } catch (java.io.IOException e) {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException u) {
                return "";
            }
        }
    }
}
