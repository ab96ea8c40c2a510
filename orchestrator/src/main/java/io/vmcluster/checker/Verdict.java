package io.vmcluster.checker;

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
