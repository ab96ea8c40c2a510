package io.vmcluster.checker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmcluster.history.HistoryJson;
import io.vmcluster.history.Op;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one checker concluded about one history.
 *
 * @param checker the checker's name, e.g. {@code set}
 * @param validity valid, invalid or unknown
 * @param explanation one or a few sentences for a person: what was found, with counts, the first
 *     few values, times and the fault that was active ("3 of 412 acknowledged adds lost: ...")
 * @param ops the history lines involved (a lost add's invocation and completion, a non-linearizable
 *     window), in history order; empty when nothing in particular
 * @param details everything else, JSON-shaped (numbers, strings, lists, maps), for {@code
 *     checks.json} and the report
 */
public record Verdict(
        String checker, Validity validity, String explanation, List<Op> ops, Map<String, Object> details) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public Verdict {
        Objects.requireNonNull(checker, "checker");
        Objects.requireNonNull(validity, "validity");
        Objects.requireNonNull(explanation, "explanation");
        ops = ops == null ? List.of() : List.copyOf(ops);
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public static Verdict valid(String checker, String explanation, Map<String, Object> details) {
        return new Verdict(checker, Validity.VALID, explanation, List.of(), details);
    }

    public static Verdict unknown(String checker, String explanation, Map<String, Object> details) {
        return new Verdict(checker, Validity.UNKNOWN, explanation, List.of(), details);
    }

    /** {@code set: invalid: 3 of 412 acknowledged adds lost: ...}. */
    public String summary() {
        return checker + ": " + validity.wireName() + ": " + explanation;
    }

    /**
     * A verdict as {@code checks.json} holds it ({@link #toJson}), read back for the report.
     *
     * @throws IllegalArgumentException naming the field that is missing or wrong
     */
    public static Verdict fromJson(JsonNode o) {
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("a verdict must be an object with checker, valid, explanation");
        }
        JsonNode checker = o.get("checker");
        JsonNode valid = o.get("valid");
        if (checker == null || !checker.isTextual()) {
            throw new IllegalArgumentException("a verdict has no 'checker' name");
        }
        Validity validity = null;
        for (Validity v : Validity.values()) {
            if (valid != null && v.wireName().equals(valid.asText())) validity = v;
        }
        if (validity == null) {
            throw new IllegalArgumentException(
                    "verdict " + checker.asText() + ": 'valid' is " + valid + "; expected valid, invalid or unknown");
        }
        List<Op> ops = new java.util.ArrayList<>();
        JsonNode a = o.get("ops");
        if (a != null && a.isArray()) {
            for (JsonNode line : a) {
                if (HistoryJson.parse(line.toString()) instanceof Op op) ops.add(op);
            }
        }
        JsonNode d = o.get("details");
        @SuppressWarnings("unchecked")
        Map<String, Object> details = d == null || !d.isObject() ? Map.of() : JSON.convertValue(d, Map.class);
        JsonNode explanation = o.get("explanation");
        return new Verdict(checker.asText(), validity, explanation == null ? "" : explanation.asText(), ops, details);
    }

    /** The verdict as {@code checks.json} holds it: checker, valid, explanation, ops (history lines), details. */
    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("checker", checker);
        o.put("valid", validity.wireName());
        o.put("explanation", explanation);
        ArrayNode a = o.putArray("ops");
        ops.forEach(op -> a.add(HistoryJson.toJson(op)));
        o.set("details", JSON.valueToTree(details));
        return o;
    }
}
