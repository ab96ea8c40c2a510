package io.vmcluster.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The layout of one run's results directory, {@code results/<yyyyMMdd-HHmmss>-<scenario>/} by
 * default. It is a public artifact: the run writes into it as it goes, so a killed run keeps its
 * history.
 *
 * <pre>
 * report.html              the run on one page: timeline, tests, steps, logs (see docs/report.md)
 * test-output.xml          JUnit XML, one test case per subtest
 * run.log                  what the console showed, without colour, plus every command and its output
 * events.jsonl             every event (steps, faults, node states, commands) with timestamps
 * &lt;node&gt;/serial.log       the node's serial console (kernel log, readiness line)
 * &lt;node&gt;/qemu.argv        the QEMU command line
 * &lt;node&gt;/qmp-events.jsonl QMP events as they arrived
 * &lt;node&gt;/console.log      the command channel's transcript (hvc0)
 * &lt;node&gt;/services/NAME.log  the guest's service logs, copied at the end of the run
 * &lt;node&gt;/services/after-TEST/NAME.log  the same, copied right after the test TEST failed
 * </pre>
 */
public record ResultsDirectory(Path root) {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]+");

    public ResultsDirectory {
        Objects.requireNonNull(root, "root");
    }

    /** {@code <base>/<yyyyMMdd-HHmmss>-<scenario>}, not yet created. */
    public static ResultsDirectory under(Path base, String scenario, LocalDateTime now) {
        String name = UNSAFE.matcher(scenario).replaceAll("-");
        return new ResultsDirectory(base.resolve(STAMP.format(now) + "-" + name));
    }

    /** Creates the directory (and parents). */
    public ResultsDirectory create() {
        try {
            Files.createDirectories(root);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create results directory " + root, e);
        }
    }

    public Path junitXml() {
        return root.resolve("test-output.xml");
    }

    /** The self-contained page of the run (docs/report.md). */
    public Path htmlReport() {
        return root.resolve("report.html");
    }

    public Path runLog() {
        return root.resolve("run.log");
    }

    public Path events() {
        return root.resolve("events.jsonl");
    }

    /** Where the runtime keeps one node's files. */
    public Path node(String node) {
        return root.resolve(node);
    }

    public Path serialLog(String node) {
        return node(node).resolve("serial.log");
    }

    public Path qemuArgv(String node) {
        return node(node).resolve("qemu.argv");
    }

    public Path qmpEvents(String node) {
        return node(node).resolve("qmp-events.jsonl");
    }

    public Path commandTranscript(String node) {
        return node(node).resolve("console.log");
    }

    /** Where the guest's service logs are copied at the end of the run. */
    public Path serviceLogs(String node) {
        return node(node).resolve("services");
    }

    /** Where the guest's service logs are copied right after the test {@code test} failed. */
    public Path serviceLogsAfterFailure(String node, String test) {
        String slug = UNSAFE.matcher(test.toLowerCase(java.util.Locale.ROOT)).replaceAll("-");
        slug = slug.replaceAll("^[-.]+|-+$", "");
        if (slug.length() > 60) slug = slug.substring(0, 60);
        return serviceLogs(node).resolve("after-" + (slug.isEmpty() ? "test" : slug));
    }
}
