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
 * directory a shard's results, all of one split, every shard there once. Exit 0 when every run
 * passed, 1 when one failed.
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

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path target = results != null
                ? results
                : ResultsDirectory.under(Path.of("results"), "merged", LocalDateTime.now())
                        .root();
        SuiteManifest m = SuiteMerge.merge(dirs, target);
        var data = io.vmcluster.suite.SuiteResults.read(target);
        List<String> failed =
                data.units().stream().filter(u -> !u.passed()).map(u -> u.id()).toList();
        out.println("Merged " + m.shards().size() + " shard" + (m.shards().size() == 1 ? "" : "s") + " of "
                + m.count() + ": " + (m.units().size() - failed.size()) + " of "
                + m.units().size() + " runs passed"
                + (failed.isEmpty() ? "" : "; failed: " + String.join(", ", failed)));
        out.println("Report:  " + target.resolve("report.html"));
        out.println("Results: " + target);
        out.flush();
        return (failed.isEmpty() ? ExitCode.PASSED : ExitCode.TEST_FAILED).code();
    }
}
