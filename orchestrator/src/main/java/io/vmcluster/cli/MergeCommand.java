package io.vmcluster.cli;

import io.vmcluster.report.ResultsDirectory;
import io.vmcluster.suite.SuiteManifest;
import io.vmcluster.suite.SuiteMerge;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * {@code vmcluster merge DIR...}: joins the results directories of a suite's shards ({@code run
 * --shard K/N}) into one directory, as if one machine had run them all: every unit's directory, the
 * suite's JUnit XML, events and report page. Checks first (exit 2, nothing written): every
 * directory a shard's results, all of one split, every shard there once and complete. Exit 0 when
 * every run passed, 1 when one failed. With {@code --allow-missing} a shard whose directory is
 * absent, empty or stopped early is merged without: the merged page, JUnit XML and suite.json say
 * which, and the exit is 1 (the suite did not pass: those runs did not run).
 */
@CommandLine.Command(
        name = "merge",
        mixinStandardHelpOptions = true,
        description = "Merges the results directories of a suite's shards (vmcluster run --shard K/N) into one:"
                + " every run's directory, one JUnit XML, one events.jsonl, one report.html.")
public final class MergeCommand implements Callable<Integer> {
    @CommandLine.Mixin
    Verbosity.Mixin verbosity;

    @CommandLine.Parameters(
            arity = "1..*",
            paramLabel = "DIR",
            description = "A shard's results directory (it holds suite.json); every shard of the split, once.")
    List<Path> dirs;

    @CommandLine.Option(
            names = "--results",
            paramLabel = "DIR",
            description = "The merged directory, new or empty (default: results/<yyyyMMdd-HHmmss>-merged/).")
    Path results;

    @CommandLine.Option(
            names = "--allow-missing",
            description = "Merge what is there when a shard's directory is absent, empty or stopped early"
                    + " (else exit 2 naming the shard); the merged report names the missing shards and the"
                    + " exit is 1.")
    boolean allowMissing;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path target = results != null
                ? results
                : ResultsDirectory.under(Path.of("results"), "merged", LocalDateTime.now())
                        .root();
        SuiteMerge.Merged merged = SuiteMerge.merge(dirs, target, allowMissing);
        SuiteManifest m = merged.manifest();
        var data = io.vmcluster.suite.SuiteResults.read(target);
        List<String> failed =
                data.ran().stream().filter(u -> !u.passed()).map(u -> u.id()).toList();
        List<String> lost =
                m.missing().stream().flatMap(x -> x.units().stream()).toList();
        merged.skipped().forEach(s -> out.println("Skipped: " + s));
        m.missing().forEach(x -> out.println("Missing: " + x));
        out.println("Merged " + m.shards().size() + " shard" + (m.shards().size() == 1 ? "" : "s") + " of "
                + m.count() + ": " + (m.units().size() - failed.size()) + " of "
                + m.plan().size() + " runs passed"
                + (failed.isEmpty() ? "" : "; failed: " + String.join(", ", failed))
                + (lost.isEmpty() ? "" : "; missing: " + String.join(", ", lost)));
        out.println("Report:  " + target.resolve("report.html"));
        out.println("Results: " + target);
        out.flush();
        return (failed.isEmpty() && lost.isEmpty() ? ExitCode.PASSED : ExitCode.TEST_FAILED).code();
    }
}
