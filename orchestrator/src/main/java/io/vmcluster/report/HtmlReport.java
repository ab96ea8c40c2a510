package io.vmcluster.report;

import io.vmcluster.events.EventsFile;
import io.vmcluster.qemu.SerialLog;
import io.vmcluster.report.html.ReportPage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code report.html} of a results directory from what the directory holds (events, logs,
 * histories and checker verdicts),
 * never from a running cluster: the run calls it at its end, {@code vmcluster report DIR} calls it
 * on any directory afterwards, and both give the same page.
 */
public final class HtmlReport {
    /** Lines of each node's serial log shown on the page. */
    static final int SERIAL_TAIL_LINES = 30;

    private HtmlReport() {}

    /** Reads the directory and writes its page, replacing any older one; returns the page's path. */
    public static Path write(ResultsDirectory dir) {
        String html = ReportPage.render(read(dir));
        Path target = dir.htmlReport();
        Path tmp = target.resolveSibling(".report.html.tmp");
        try {
            Files.writeString(tmp, html, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + target, e);
        }
        return target;
    }

    /** Everything the page shows, read from the directory. */
    public static ReportData read(ResultsDirectory dir) {
        EventsFile events = EventsFile.read(dir.events());
        String fallbackName = dir.root().toAbsolutePath().getFileName().toString();
        RunRecorder recorder = new RunRecorder(fallbackName);
        events.events().forEach(recorder);
        RunTimeline timeline = RunTimeline.of(events.events());
        List<String> nodes = timeline.nodes();
        Map<String, String> tails = new LinkedHashMap<>();
        for (String n : nodes) {
            if (Files.isRegularFile(dir.serialLog(n))) {
                tails.put(n, new SerialLog(dir.serialLog(n)).tail(SERIAL_TAIL_LINES));
            }
        }
        return new ReportData(
                recorder.report(),
                timeline,
                ResultsFiles.scan(dir, nodes),
                tails,
                events.problems().stream().map(EventsFile.Problem::toString).toList(),
                Instant.now(),
                Workloads.read(dir, events.events()));
    }
}
