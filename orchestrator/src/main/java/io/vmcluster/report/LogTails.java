package io.vmcluster.report;

import io.vmcluster.qemu.SerialLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The last lines of each node's logs, for a failed test's {@code system-out} in the JUnit XML (and
 * the JUnit 5 extension's failure attachment): the serial log, the console's command transcript,
 * and the service logs copied right after that test failed (else those copied at
 * the end of the run). Bounded: {@value #LINES} lines per file, {@value #LINE_CHARS} characters
 * per line, {@value #MAX_CHARS} characters in all.
 */
public final class LogTails {
    static final int LINES = 20;
    static final int LINE_CHARS = 300;
    static final int MAX_CHARS = 64 * 1024;

    private final ResultsDirectory dir;
    private final List<String> nodes;

    public LogTails(ResultsDirectory dir, List<String> nodes) {
        this.dir = dir;
        this.nodes = List.copyOf(nodes);
    }

    /** Tails of nothing (no results directory, or tests of the writer). */
    public static LogTails none() {
        return new LogTails(null, List.of());
    }

    /** Every node's log tails as they stand for the failed test {@code test}; empty when there are none. */
    public String forFailedTest(String test) {
        if (dir == null) return "";
        StringBuilder b = new StringBuilder();
        for (String node : nodes) {
            append(b, node + ": last lines of serial.log (the kernel and init, ttyS0)", dir.serialLog(node));
            append(b, node + ": last lines of console.log (the hvc0 transcript)", dir.commandTranscript(node));
            Path after = dir.serviceLogsAfterFailure(node, test);
            Path services = Files.isDirectory(after) ? after : dir.serviceLogs(node);
            for (Path log : logs(services)) {
                append(b, node + ": last lines of " + dir.root().relativize(log), log);
            }
        }
        if (b.length() > MAX_CHARS) {
            return b.substring(0, MAX_CHARS) + "\n… (cut at " + MAX_CHARS + " characters)\n";
        }
        return b.toString();
    }

    private static void append(StringBuilder b, String title, Path file) {
        if (!Files.isRegularFile(file)) return;
        String tail = new SerialLog(file).tail(LINES); // a tail of any log file, not only ttyS0's
        if (tail.isBlank()) return;
        b.append("--- ").append(title).append(" ---\n");
        for (String line : tail.split("\n", -1)) {
            b.append(line.length() > LINE_CHARS ? line.substring(0, LINE_CHARS) + "…" : line)
                    .append('\n');
        }
    }

    private static List<Path> logs(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
