package io.vmcluster.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Appends events to a JSON-lines file, flushed per event so a killed run keeps its history, and
 * hands each event to any listeners (the console reporter, tests).
 */
public final class JsonLinesEventSink implements EventSink {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final BufferedWriter out;
    private final List<Consumer<Event>> listeners = new ArrayList<>();

    private JsonLinesEventSink(Path file) throws IOException {
        this.file = file;
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.out = Files.newBufferedWriter(
                file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Opens (appending) the events file. */
    public static JsonLinesEventSink open(Path file) {
        try {
            return new JsonLinesEventSink(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open events file " + file, e);
        }
    }

    public Path file() {
        return file;
    }

    /** Adds a listener called for every event, on the recording thread. */
    public synchronized JsonLinesEventSink addListener(Consumer<Event> listener) {
        listeners.add(listener);
        return this;
    }

    @Override
    public synchronized void record(Event event) {
        ObjectNode line = JSON.createObjectNode();
        line.put("time", event.time().toString());
        line.put("kind", event.kind());
        if (event.node() != null) {
            line.put("node", event.node());
        }
        for (Map.Entry<String, Object> e : event.fields().entrySet()) {
            line.set(e.getKey(), JSON.valueToTree(e.getValue()));
        }
        try {
            out.write(JSON.writeValueAsString(line));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to events file " + file, e);
        }
        for (Consumer<Event> listener : listeners) {
            listener.accept(event);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close events file " + file, e);
        }
    }
}
