package io.vmcluster.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.history.OpType;
import java.util.Objects;

/**
 * How one operation ended, before it is written to the history.
 *
 * @param type ok, fail or info
 * @param value what an ok completion returned (a read's value), or null to keep the invocation's
 * @param error the raw error of a fail or info, or null
 */
public record Completion(OpType type, JsonNode value, String error) {
    public Completion {
        Objects.requireNonNull(type, "type");
        if (!type.isCompletion()) {
            throw new IllegalArgumentException("a completion is ok, fail or info, not " + type.wireName());
        }
    }

    public static Completion ok(JsonNode value) {
        return new Completion(OpType.OK, value, null);
    }

    public static Completion fail(String error) {
        return new Completion(OpType.FAIL, null, error);
    }

    public static Completion info(String error) {
        return new Completion(OpType.INFO, null, error);
    }
}
