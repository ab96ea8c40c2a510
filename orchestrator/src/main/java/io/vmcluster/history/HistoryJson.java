package io.vmcluster.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * One line of {@code history.jsonl} to and from JSON. Operation lines carry, in this order, {@code
 * index}, {@code time}, {@code process}, {@code type}, {@code f}, then {@code key}, {@code value},
 * {@code node} and {@code error} when present; probe lines {@code type: "probe"}, {@code time},
 * {@code node}, {@code f}, {@code value} and {@code error}. Unknown fields are an error, so a typo
 * in a hand-written history is not silently ignored.
 */
public final class HistoryJson {
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    private static final String PROBE = "probe";
    private static final Set<String> OP_FIELDS =
            Set.of("index", "time", "process", "type", "f", "key", "value", "node", "error");
    private static final Set<String> PROBE_FIELDS = Set.of("type", "time", "node", "f", "value", "error");

    private HistoryJson() {}

    /** The JSON object of an entry (no newline). */
    public static ObjectNode toJson(HistoryEntry e) {
        ObjectNode o = JSON.createObjectNode();
        if (e instanceof Op op) {
            o.put("index", op.index());
            o.put("time", op.time());
            o.put("process", op.process());
            o.put("type", op.type().wireName());
            o.put("f", op.f().name());
            if (op.key() != null) {
                o.set("key", op.key());
            }
            o.set("value", op.value());
            if (op.node() != null) {
                o.put("node", op.node());
            }
            if (op.error() != null) {
                o.put("error", op.error());
            }
        } else if (e instanceof Probe p) {
            o.put("type", PROBE);
            o.put("time", p.time());
            o.put("node", p.node());
            o.put("f", p.f().name());
            o.set("value", p.value());
            if (p.error() != null) {
                o.put("error", p.error());
            }
        }
        return o;
    }

    /** The line for an entry, without the newline. */
    public static String toLine(HistoryEntry e) {
        try {
            return JSON.writeValueAsString(toJson(e));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot write history line: " + ex.getOriginalMessage(), ex);
        }
    }

    /**
     * Parses one line.
     *
     * @throws IllegalArgumentException saying what is wrong with the line (not where: the reader adds that)
     */
    public static HistoryEntry parse(String line) {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage() + " at column "
                    + e.getLocation().getColumnNr());
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("expected a JSON object like {\"index\": 0, \"time\": 0, \"process\": 0,"
                    + " \"type\": \"invoke\", \"f\": \"write\", \"value\": 1}");
        }
        String type = text(n, "type", true);
        if (PROBE.equals(type)) {
            unknownFields(n, PROBE_FIELDS);
            return new Probe(
                    number(n, "time"), text(n, "node", true), function(n), n.get("value"), text(n, "error", false));
        }
        OpType t = OpType.parse(type);
        if (t == null) {
            throw new IllegalArgumentException(
                    "field 'type' is '" + type + "'; expected invoke, ok, fail, info or probe");
        }
        unknownFields(n, OP_FIELDS);
        long index = number(n, "index");
        long process = number(n, "process");
        if (index < 0 || process < 0) {
            throw new IllegalArgumentException("field '" + (index < 0 ? "index" : "process") + "' is negative");
        }
        return new Op(
                index,
                number(n, "time"),
                process,
                t,
                function(n),
                n.get("key"),
                n.get("value"),
                text(n, "node", false),
                text(n, "error", false));
    }

    private static OpFunction function(JsonNode n) {
        String f = text(n, "f", true);
        try {
            return OpFunction.of(f);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field 'f': " + e.getMessage());
        }
    }

    private static void unknownFields(JsonNode n, Set<String> allowed) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                List<String> sorted = allowed.stream().sorted().toList();
                throw new IllegalArgumentException(
                        "unknown field '" + name + "'; the fields are " + String.join(", ", sorted));
            }
        }
    }

    private static long number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null) {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException("field '" + field + "' is " + v + "; expected an integer");
        }
        return v.longValue();
    }

    private static String text(JsonNode n, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException("field '" + field + "' is missing");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' is " + v + "; expected a string");
        }
        return v.textValue();
    }
}
