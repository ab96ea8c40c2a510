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
 * test-output.xml          JUnit XML, one test case per subtest
 * run.log                  what the console showed, without colour, plus every command and its output
 * events.jsonl             every event (steps, faults, node states, commands) with timestamps
 * &lt;node&gt;/serial.log       the node's serial console (kernel log, readiness line)
 * &lt;node&gt;/qemu.argv        the QEMU command line
 * &lt;node&gt;/qmp-events.jsonl QMP events as they arrived
 * &lt;node&gt;/console.log      the command channel's transcript (hvc0)
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
}
