package io.vmcluster.report;

import io.vmcluster.time.Durations;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a {@link RunReport} as JUnit XML ({@code test-output.xml}): one {@code testsuite} named
 * after the scenario, one {@code testcase} per subtest, a {@code failure} with the message and the
 * failing step's output, and a {@code system-out} with the test's steps (and, when it failed, the
 * last lines of each node's logs). The format is the one Jenkins, GitLab and GitHub test reporters
 * read; they show {@code system-out} beside the test case.
 */
public final class JUnitXmlWriter {
    private JUnitXmlWriter() {}

    /** Writes the report to {@code file}, replacing it, with the log tails of the file's results directory. */
    public static void write(RunReport report, Path file) {
        Path dir = file.toAbsolutePath().getParent();
        write(report, file, new LogTails(new ResultsDirectory(dir), report.nodes()));
    }

    /** Writes the report to {@code file}, replacing it. */
    public static void write(RunReport report, Path file, LogTails tails) {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(report, out, tails);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JUnit XML to " + file, e);
        }
    }

    /** Writes the report to a stream (UTF-8), leaving the stream open; no log tails. */
    public static void write(RunReport report, OutputStream out) {
        write(report, out, LogTails.none());
    }

    /** Writes the report to a stream (UTF-8), leaving the stream open. */
    public static void write(RunReport report, OutputStream out, LogTails tails) {
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuite");
            attr(x, "name", report.scenario());
            attr(x, "tests", Integer.toString(report.subtests().size()));
            attr(x, "failures", Long.toString(report.count(Outcome.FAILED)));
            attr(x, "errors", "0");
            attr(x, "skipped", Long.toString(report.count(Outcome.SKIPPED)));
            attr(x, "time", seconds(report.duration()));
            attr(
                    x,
                    "timestamp",
                    DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                            report.started().atOffset(ZoneOffset.UTC).withNano(0)));
            x.writeCharacters("\n");
            for (SubtestReport s : report.subtests()) {
                x.writeCharacters("  ");
                x.writeStartElement("testcase");
                attr(x, "classname", report.scenario());
                attr(x, "name", s.name());
                attr(x, "time", seconds(s.duration()));
                if (s.outcome() == Outcome.FAILED) {
                    x.writeCharacters("\n    ");
                    x.writeStartElement("failure");
                    attr(x, "message", firstLine(s.message()));
                    attr(x, "type", "vmcluster.StepFailed");
                    text(x, s.message() + (s.output().isEmpty() ? "" : "\n\n" + s.output()));
                    x.writeEndElement();
                    x.writeCharacters("\n  ");
                } else if (s.outcome() == Outcome.SKIPPED) {
                    x.writeEmptyElement("skipped");
                    if (!s.message().isEmpty()) {
                        attr(x, "message", firstLine(s.message()));
                    }
                }
                String systemOut = systemOut(report, s, tails);
                if (!systemOut.isEmpty()) {
                    x.writeCharacters("\n    ");
                    x.writeStartElement("system-out");
                    text(x, systemOut);
                    x.writeEndElement();
                    x.writeCharacters("\n  ");
                }
                x.writeEndElement();
                x.writeCharacters("\n");
            }
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.flush();
            x.close();
        } catch (XMLStreamException e) {
            throw new UncheckedIOException(new IOException("cannot write JUnit XML", e));
        }
    }

    /**
     * The steps, one line each with the time since the run began, the result and how long it took
     * (the failed step's reason under it); for a failed test then every node's log tails.
     */
    static String systemOut(RunReport report, SubtestReport s, LogTails tails) {
        StringBuilder b = new StringBuilder();
        if (!s.output().isEmpty() && s.outcome() != Outcome.FAILED) {
            b.append(s.output().stripTrailing()).append("\n\n");
        }
        if (!s.steps().isEmpty()) {
            b.append("steps (seconds since the run began):\n");
            for (StepReport step : s.steps()) {
                double at = Duration.between(report.started(), step.started()).toMillis() / 1000.0;
                String result = step.outcome() == Outcome.PASSED ? "ok  " : step.ended() ? "FAIL" : "OPEN";
                b.append(String.format(Locale.ROOT, "[%7.1f s] %s ", at, result))
                        .append("  ".repeat(step.depth()))
                        .append(step.step())
                        .append(step.ended() ? " (" + Durations.format(step.duration()) + ")" : " (never ended)")
                        .append(step.at().isEmpty() ? "" : "  " + step.at())
                        .append('\n');
                if (step.outcome() == Outcome.FAILED && !step.error().isEmpty()) {
                    b.append(step.error().strip().indent(14));
                }
            }
        }
        if (s.outcome() == Outcome.FAILED) {
            String logs = tails.forFailedTest(s.name());
            if (!logs.isEmpty()) {
                b.append(b.length() == 0 ? "" : "\n").append(logs);
            }
        }
        return b.toString();
    }

    private static void attr(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        x.writeAttribute(name, XmlText.legal(value));
    }

    private static void text(XMLStreamWriter x, String value) throws XMLStreamException {
        x.writeCharacters(XmlText.legal(value));
    }

    private static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toMillis() / 1000.0);
    }
}
