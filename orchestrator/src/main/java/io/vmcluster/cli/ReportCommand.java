package io.vmcluster.cli;

import io.vmcluster.report.HtmlReport;
import io.vmcluster.report.ResultsDirectory;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * {@code vmcluster report RESULTS_DIR...}: rebuilds each directory's {@code report.html} from what
 * it holds (events, logs), after the fact or for an older run; asks no cluster for anything.
 * Exit 0 when every page was written, 2 when a directory is not a results directory.
 */
@CommandLine.Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = "Rebuilds report.html of results directories from their events and logs (no VM is"
                + " started). Prints the path of each page.")
public final class ReportCommand implements Callable<Integer> {
    @CommandLine.Mixin
    Verbosity.Mixin verbosity;

    @CommandLine.Parameters(
            arity = "1..*",
            paramLabel = "RESULTS_DIR",
            description = "A run's results directory (it holds events.jsonl).")
    List<Path> dirs;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (Path dir : dirs) {
            ResultsDirectory results = new ResultsDirectory(dir);
            if (!Files.isDirectory(dir)) {
                throw new InvalidInputException(dir + ": no such directory; give a run's results directory"
                        + " (results/<yyyyMMdd-HHmmss>-<scenario>/)");
            }
            if (!io.vmcluster.suite.SuiteResults.isSuite(dir) && !Files.isRegularFile(results.events())) {
                throw new InvalidInputException(dir + ": not a results directory: it has no events.jsonl"
                        + " (a run's directory holds events.jsonl, run.log and test-output.xml)");
            }
        }
        for (Path dir : dirs) {
            out.println("Report: "
                    + (io.vmcluster.suite.SuiteResults.isSuite(dir)
                            ? io.vmcluster.suite.SuiteResults.write(dir)
                            : HtmlReport.write(new ResultsDirectory(dir))));
        }
        out.flush();
        return ExitCode.PASSED.code();
    }
}
