package io.vmcluster.checker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmcluster.history.History;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The verdicts of several checkers on one history, and their file {@code checks.json}:
 *
 * <pre>{@code
 * {"history": "history.jsonl", "valid": "invalid",
 *  "checkers": [{"checker": "set", "valid": "invalid", "explanation": "3 of 412 ...",
 *                "ops": [history lines...], "details": {...}}, ...],
 *  "faults": [{"id": "f1", "kind": "partition", "target": "...", "start": ns, "end": ns}], "notes": [...]}
 * }</pre>
 *
 * @param history the history file's name, as given
 * @param verdicts one per checker, in the order given
 * @param faults the fault windows the checkers were given
 * @param notes warnings from reading (an incomplete last line, no fault windows)
 */
public record CheckResults(String history, List<Verdict> verdicts, FaultWindows faults, List<String> notes) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public CheckResults {
        verdicts = List.copyOf(verdicts);
        notes = List.copyOf(notes);
    }

    /** Runs each checker on the history; a checker that throws gives an unknown verdict saying so. */
    public static CheckResults run(String name, History history, FaultWindows faults, List<Checker> checkers) {
        List<Verdict> out = new ArrayList<>();
        for (Checker c : checkers) {
            try {
                out.add(c.check(history, faults));
            } catch (RuntimeException e) {
                out.add(Verdict.unknown(
                        c.name(),
                        "the checker failed: " + e.getMessage(),
                        java.util.Map.of("error", String.valueOf(e))));
            }
        }
        List<String> notes = new ArrayList<>(history.warnings());
        if (faults.note() != null) {
            notes.add(faults.note());
        }
        return new CheckResults(name, out, faults, notes);
    }

    /** Invalid if any checker says so, else unknown if any does, else valid. */
    public Validity validity() {
        return Validity.merge(verdicts.stream().map(Verdict::validity).toList());
    }

    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("history", history);
        o.put("valid", validity().wireName());
        ArrayNode cs = o.putArray("checkers");
        verdicts.forEach(v -> cs.add(v.toJson()));
        ArrayNode fs = o.putArray("faults");
        for (FaultWindow w : faults.all()) {
            ObjectNode f = fs.addObject();
            f.put("id", w.id());
            f.put("kind", w.kind());
            f.put("target", w.target());
            f.put("description", w.describe());
            f.put("start", w.start());
            if (w.neverEnded()) {
                f.putNull("end");
            } else {
                f.put("end", w.end());
            }
        }
        ArrayNode ns = o.putArray("notes");
        notes.forEach(ns::add);
        return o;
    }

    /** {@code history.jsonl} → {@code checks.json}; {@code w1.history.jsonl} → {@code w1.checks.json}: where a history's verdicts are kept. */
    public static Path fileBeside(Path history) {
        String name = history.getFileName().toString();
        String base = name.endsWith("history.jsonl")
                ? name.substring(0, name.length() - "history.jsonl".length()) + "checks.json"
                : name.replaceFirst("\\.jsonl$", "") + ".checks.json";
        return history.resolveSibling(base);
    }

    /**
     * The verdicts and notes of a {@code checks.json} as {@link #write} wrote it.
     *
     * @throws IllegalArgumentException the file is not JSON or a verdict in it is malformed (with the file's name)
     * @throws UncheckedIOException the file cannot be read
     */
    public static Stored readStored(Path file) {
        com.fasterxml.jackson.databind.JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<Verdict> verdicts = new ArrayList<>();
        com.fasterxml.jackson.databind.JsonNode cs = root == null ? null : root.get("checkers");
        if (cs != null && cs.isArray()) {
            for (com.fasterxml.jackson.databind.JsonNode c : cs) {
                try {
                    verdicts.add(Verdict.fromJson(c));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
                }
            }
        }
        List<String> notes = new ArrayList<>();
        com.fasterxml.jackson.databind.JsonNode ns = root == null ? null : root.get("notes");
        if (ns != null && ns.isArray()) ns.forEach(n -> notes.add(n.asText()));
        return new Stored(verdicts, notes);
    }

    /** What {@code checks.json} keeps of a check, read back: the verdicts and the notes. */
    public record Stored(List<Verdict> verdicts, List<String> notes) {
        public Stored {
            verdicts = List.copyOf(verdicts);
            notes = List.copyOf(notes);
        }

        public Validity validity() {
            return Validity.merge(verdicts.stream().map(Verdict::validity).toList());
        }
    }

    /** Writes {@code checks.json} (or any file). */
    public void write(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            JSON.writeValue(file.toFile(), toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
