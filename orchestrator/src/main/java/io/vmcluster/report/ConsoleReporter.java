package io.vmcluster.report;

import io.vmcluster.events.Event;
import java.io.PrintWriter;
import java.util.function.Consumer;

/** Prints run events as they happen, formatted by {@link ConsoleFormat}. Add it as an event listener. */
public final class ConsoleReporter implements Consumer<Event> {
    private final PrintWriter out;
    private final ConsoleFormat format;

    public ConsoleReporter(PrintWriter out, Style style) {
        this.out = out;
        this.format = new ConsoleFormat(style);
    }

    @Override
    public synchronized void accept(Event e) {
        for (String line : format.lines(e)) {
            out.println(line);
        }
        out.flush();
    }

    /** Prints the end-of-run summary. */
    public synchronized void summary(RunReport report) {
        for (String line : format.summary(report)) {
            out.println(line);
        }
        out.flush();
    }
}
