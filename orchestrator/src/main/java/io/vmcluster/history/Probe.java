package io.vmcluster.history;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/**
 * One probe sample: what a command run on a node at an interval during the workload said, e.g.
 * etcd's {@code endpoint status}. A line of {@code history.jsonl} with {@code "type": "probe"} and no
 * {@code index} or {@code process}: probes are observations, not operations, and no checker of
 * operations sees them.
 *
 * <p>The {@link OpFunction#LEADER_STATUS} probe, read by the {@code single-leader-per-term} and
 * {@code time-to-leader} checkers, has the value {@code {"term": 5, "leader": "node1"}}: the Raft
 * term the node is in and the leader it knows ({@code null} or absent when it knows none). The
 * leader should be a node name; when the probe can only see a member id, it must add {@code
 * "isLeader": true|false} (whether the probed node is the leader itself). A sample whose command
 * failed or timed out has no value ({@code null}) and the error: the node did not answer.
 *
 * @param time nanoseconds since the workload started, when the sample's answer arrived
 * @param node the node sampled
 * @param f what was sampled
 * @param value what it said, in canonical form; {@link Values#NULL} when it did not answer
 * @param error why it did not answer, or null
 */
public record Probe(long time, String node, OpFunction f, JsonNode value, String error) implements HistoryEntry {
    public Probe {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(f, "f");
        value = Values.canonical(value);
    }

    /** True when the node answered (no error, a value). */
    public boolean answered() {
        return error == null && !value.isNull();
    }

    /** The Raft term of a leader-status sample, if it has one. */
    public Optional<Long> term() {
        JsonNode t = value.get("term");
        return t != null && t.canConvertToLong() && t.isIntegralNumber()
                ? Optional.of(t.longValue())
                : Optional.empty();
    }

    /**
     * The leader a leader-status sample names, if any: its {@code leader}, else the sampled node
     * itself when it says {@code "isLeader": true} ({@code {"term": 2, "isLeader": true}} from node1
     * names node1).
     */
    public Optional<JsonNode> leader() {
        JsonNode l = value.get("leader");
        if (l == null || l.isNull() || l.asText().isEmpty()) {
            JsonNode self = value.get("isLeader");
            return self != null && self.isBoolean() && self.booleanValue()
                    ? Optional.of(Values.of(node))
                    : Optional.empty();
        }
        return Optional.of(l);
    }

    /** Whether the sampled node says it is the leader itself ({@code isLeader}, else leader == node). */
    public boolean claimsLeadership() {
        JsonNode self = value.get("isLeader");
        if (self != null && self.isBoolean()) {
            return self.booleanValue();
        }
        return leader().map(l -> l.isTextual() && l.textValue().equals(node)).orElse(false);
    }
}
