package io.vmcluster.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads back an {@code events.jsonl} written by {@link JsonLinesEventSink}: one {@link Event} per
 * line, in file order. A run that was killed may end in half a line and a hand-edited file may
 * hold garbage; neither stops the reading: every line that is not an event becomes a {@link
 * Problem} naming the file and line, and the rest is read.
 *
 * @param events the events, in file order
 * @param problems lines that could not be read
 */
public record EventsFile(List<Event> events, List<Problem> problems) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TIME = "time";
    private static final String KIND = "kind";
    private static final String NODE = "node";

    public EventsFile {
        events = List.copyOf(events);
        problems = List.copyOf(problems);
    }

    /**
     * One line that is not an event.
     *
     * @param file the events file
     * @param line 1-based line number
     * @param message what is wrong with it
     */
    public record Problem(Path file, int line, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + message;
        }
    }

    /** Reads {@code file}; a missing file is an empty one. */
    public static EventsFile read(Path file) {
        List<Event> events = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    events.add(parse(line));
                } catch (IllegalArgumentException e) {
                    problems.add(new Problem(file, n, e.getMessage()));
                }
            }
        } catch (NoSuchFileException e) {
            return new EventsFile(List.of(), List.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read events file " + file, e);
        }
        return new EventsFile(events, problems);
    }

    /** One line of {@code events.jsonl} as an event; field values become maps, lists, numbers, strings. */
    static Event parse(String line) {
        JsonNode tree;
        try {
            tree = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON object (a run cut short leaves half a line)");
        }
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        if (!tree.path(TIME).isTextual() || !tree.path(KIND).isTextual()) {
            throw new IllegalArgumentException("an event needs \"time\" and \"kind\" as strings");
        }
        Instant time;
        try {
            time = Instant.parse(tree.get(TIME).asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "\"time\" is '" + tree.get(TIME).asText() + "', not an ISO-8601 instant like 2026-12-01T19:32:24Z");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        var names = tree.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!name.equals(TIME) && !name.equals(KIND) && !name.equals(NODE)) {
                JsonNode value = tree.get(name);
                if (!value.isNull()) {
                    fields.put(name, JSON.convertValue(value, Object.class));
                }
            }
        }
        String node = tree.path(NODE).isTextual() ? tree.get(NODE).asText() : null;
        return new Event(time, tree.get(KIND).asText(), node, fields);
    }
}
