package io.vmcluster.report;

import io.vmcluster.events.Event;
import io.vmcluster.events.EventKind;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * {@code run.log}: what the console showed, without colour, each line with its wall-clock time,
 * plus every command with its exit code and output and every failed test's full message.
 * Flushed per event so a killed run keeps it.
 */
public final class RunLog implements Consumer<Event>, AutoCloseable {
    private final Path file;
    private final BufferedWriter out;
    private final ConsoleFormat format = new ConsoleFormat(Style.PLAIN);

    private RunLog(Path file) throws IOException {
        this.file = file;
        this.out = Files.newBufferedWriter(
                file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Opens (appending) the run log. */
    public static RunLog open(Path file) {
        try {
            return new RunLog(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open run log " + file, e);
        }
    }

    @Override
    public synchronized void accept(Event e) {
        try {
            for (String line : format.lines(e)) {
                line(e, line);
            }
            if (e.is(EventKind.COMMAND)) {
                var f = e.fields();
                line(
                        e,
                        "           " + e.node() + " $ " + f.get("command")
                                + (f.containsKey("exit") ? "  → exit " + f.get("exit") : "  → " + f.get("error")));
                block("stdout", f.get("stdout"));
                block("stderr", f.get("stderr"));
            }
            if (e.is(EventKind.TEST_END) && e.fields().get("message") != null) {
                out.write(e.fields().get("message").toString().indent(4));
            }
            out.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write run log " + file, ex);
        }
    }

    private void line(Event e, String line) throws IOException {
        out.write(e.time().toString());
        out.write("  ");
        out.write(line);
        out.write('\n');
    }

    private void block(String label, Object text) throws IOException {
        if (text != null && !text.toString().isEmpty()) {
            out.write(("  " + label + ":\n" + text.toString().indent(4)).indent(10));
        }
    }

    /** Appends free text (the summary at the end). */
    public synchronized void write(Iterable<String> lines) {
        try {
            for (String line : lines) {
                out.write(line);
                out.write('\n');
            }
            out.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write run log " + file, ex);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close run log " + file, e);
        }
    }
}
