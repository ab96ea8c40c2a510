package io.vmcluster.report;

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
 * failing step's output. The format is the one Jenkins, GitLab and GitHub test reporters read.
 */
public final class JUnitXmlWriter {
    private JUnitXmlWriter() {}

    /** Writes the report to {@code file}, replacing it. */
    public static void write(RunReport report, Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(report, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JUnit XML to " + file, e);
        }
    }

    /** Writes the report to a stream (UTF-8), leaving the stream open. */
    public static void write(RunReport report, OutputStream out) {
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
                if (!s.output().isEmpty() && s.outcome() != Outcome.FAILED) {
                    x.writeStartElement("system-out");
                    text(x, s.output());
                    x.writeEndElement();
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
