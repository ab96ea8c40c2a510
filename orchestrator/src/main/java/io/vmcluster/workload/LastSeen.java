package io.vmcluster.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.history.OpFunction;
import io.vmcluster.history.OpType;
import io.vmcluster.history.Values;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a workload last saw each register key hold: the value of the latest {@code ok} write, the
 * new value of the latest {@code ok} cas, or the value the latest {@code ok} read returned,
 * whichever completed last. A cas's {@code old} is drawn from here ({@link ValueKind#CAS}). It is
 * a guess, not the truth: another client may have written since, and then the cas fails, as it
 * should. Safe for many client threads.
 */
final class LastSeen {
    /** The key of a workload without keys ({@code keys: 0}): one register. */
    private static final JsonNode NO_KEY = Values.NULL;

    private final Map<JsonNode, JsonNode> values = new ConcurrentHashMap<>();

    /** What {@code key} (null: the one register) was last seen to hold; {@link Values#NULL} if nothing yet. */
    JsonNode get(JsonNode key) {
        return values.getOrDefault(key == null ? NO_KEY : key, Values.NULL);
    }

    /**
     * Learns from a completion: an {@code ok} write, cas or read of a register tells what the key
     * held then; any other completion tells nothing.
     *
     * @param value the completion's value (for a cas {@code [old, new]}; for a read what it read)
     */
    void learn(OpFunction f, JsonNode key, OpType type, JsonNode value) {
        if (type != OpType.OK || value == null) return;
        JsonNode seen;
        if (f.equals(OpFunction.WRITE) || f.equals(OpFunction.READ)) {
            seen = value;
        } else if (f.equals(OpFunction.CAS) && value.isArray() && value.size() == 2) {
            seen = value.get(1);
        } else {
            return;
        }
        values.put(key == null ? NO_KEY : key, seen);
    }
}
