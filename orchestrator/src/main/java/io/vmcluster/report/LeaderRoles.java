package io.vmcluster.report;

import io.vmcluster.history.OpFunction;
import io.vmcluster.history.Probe;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each node's role over time as its {@link OpFunction#LEADER_STATUS} probes said: from one sample
 * to the next the node is what the sample said (leader, follower, or no answer). Only what a probe
 * said is shown; between workloads nothing is known.
 */
public final class LeaderRoles {
    private LeaderRoles() {}

    /** What a node said it was. */
    public enum Role {
        LEADER,
        FOLLOWER,
        NO_ANSWER
    }

    /**
     * One stretch of one role.
     *
     * @param term the Raft term the sample gave, or null
     */
    public record RoleSpan(Role role, Instant from, Instant to, Long term) {}

    /** Per node (in first-sample order), its role spans, from every workload's leader-status probes. */
    public static Map<String, List<RoleSpan>> of(List<WorkloadReport> workloads) {
        Map<String, List<RoleSpan>> out = new LinkedHashMap<>();
        for (WorkloadReport w : workloads) {
            Map<String, List<Probe>> byNode = new LinkedHashMap<>();
            for (Probe p : w.ops().probes()) {
                if (p.f().equals(OpFunction.LEADER_STATUS)) {
                    byNode.computeIfAbsent(p.node(), n -> new ArrayList<>()).add(p);
                }
            }
            long end = w.ops().endTime();
            byNode.forEach((node, samples) -> {
                List<RoleSpan> spans = out.computeIfAbsent(node, n -> new ArrayList<>());
                for (int i = 0; i < samples.size(); i++) {
                    Probe p = samples.get(i);
                    long to = i + 1 < samples.size() ? samples.get(i + 1).time() : end;
                    Role role = !p.answered() ? Role.NO_ANSWER : p.claimsLeadership() ? Role.LEADER : Role.FOLLOWER;
                    Long term = p.term().orElse(null);
                    RoleSpan last = spans.isEmpty() ? null : spans.get(spans.size() - 1);
                    Instant from = w.at(p.time());
                    if (last != null
                            && last.role() == role
                            && java.util.Objects.equals(last.term(), term)
                            && !last.to().isBefore(from)) {
                        spans.set(spans.size() - 1, new RoleSpan(role, last.from(), w.at(to), term));
                    } else {
                        spans.add(new RoleSpan(role, from, w.at(to), term));
                    }
                }
            });
        }
        return out;
    }
}
