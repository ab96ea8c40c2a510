package io.vmcluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.report.SampleRun;
import io.vmcluster.report.SampleWorkload;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vmcluster report DIR}: the page rebuilt from a results directory alone. */
class ReportCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int report(String... args) {
        return Vmcluster.execute(
                java.util.stream.Stream.concat(java.util.stream.Stream.of("report"), java.util.Arrays.stream(args))
                        .toArray(String[]::new),
                new PrintWriter(out, true),
                new PrintWriter(err, true));
    }

    @Test
    void rebuildsThePageOfADirectoryAndPrintsWhereItIs() throws Exception {
        Path results = SampleRun.writeTo(dir.resolve("run")).root();
        assertThat(report(results.toString())).as("stderr: %s", err).isZero();
        Path page = results.resolve("report.html");
        assertThat(out.toString()).isEqualTo("Report: " + page + System.lineSeparator());
        assertThat(Files.readString(page)).contains("partition [node1] | [node2, node3]");
    }

    @Test
    void aRunWithAWorkloadIsRebuiltWithItsOperationsAndVerdicts_evenWhenItsChecksAreGone() throws Exception {
        Path results = SampleWorkload.writeTo(dir.resolve("run"), 300, 3).root();
        assertThat(report(results.toString())).as("stderr: %s", err).isZero();
        assertThat(Files.readString(results.resolve("report.html")))
                .contains("g class=\"ops\" data-workload=\"set\"")
                .contains("id=\"latency-chart-1\"")
                .contains("data-valid=\"invalid\"");
        Files.delete(results.resolve("checks.json"));
        assertThat(report(results.toString())).isZero();
        assertThat(Files.readString(results.resolve("report.html")))
                .as("no checks.json: the operations still show, the workload says it was not checked")
                .contains("data-valid=\"unchecked\"")
                .contains("checks.json is missing (vmcluster analyze DIR writes it)");
    }

    @Test
    void aDirectoryThatIsNotAResultsDirectoryIsExit2AndSaysWhatOneHolds() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        assertThat(report(dir.resolve("empty").toString())).isEqualTo(2);
        assertThat(err.toString())
                .contains(dir.resolve("empty") + ": not a results directory: it has no events.jsonl")
                .doesNotContain("Exception");
        assertThat(report(dir.resolve("missing").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("missing: no such directory");
    }
}
