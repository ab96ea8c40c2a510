package io.vmcluster.checker;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.history.History;
import io.vmcluster.history.OpFunction;
import io.vmcluster.history.Probe;
import io.vmcluster.history.Times;
import io.vmcluster.history.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Raft's election safety from {@code leader-status} probe samples: in any one term, every sample
 * that names a leader names the same one. Two leaders in a term (two nodes claiming it, or nodes
 * disagreeing on who it is) is invalid, naming the term, the leaders and the first sample of each.
 * Unknown when no sample named a leader with a term.
 */
public final class SingleLeaderPerTermChecker implements Checker {
    public static final String NAME = "single-leader-per-term";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verdict check(History history, FaultWindows faults) {
        Map<Long, Map<JsonNode, Probe>> byTerm = new TreeMap<>();
        int samples = 0;
        for (Probe p : history.probes()) {
            if (!p.f().equals(OpFunction.LEADER_STATUS) || !p.answered()) {
                continue;
            }
            samples++;
            if (p.term().isEmpty() || p.leader().isEmpty()) {
                continue;
            }
            byTerm.computeIfAbsent(p.term().get(), t -> new LinkedHashMap<>())
                    .putIfAbsent(p.leader().get(), p);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("sample-count", samples);
        d.put("term-count", byTerm.size());
        Map<String, Object> leaders = new LinkedHashMap<>();
        byTerm.forEach((t, m) -> leaders.put(String.valueOf(t), new ArrayList<>(m.keySet())));
        d.put("leaders-by-term", leaders);
        if (byTerm.isEmpty()) {
            return Verdict.unknown(
                    NAME,
                    "no " + OpFunction.LEADER_STATUS + " sample named a leader and a term (" + samples
                            + " answered samples)",
                    d);
        }
        List<String> bad = new ArrayList<>();
        for (Map.Entry<Long, Map<JsonNode, Probe>> e : byTerm.entrySet()) {
            if (e.getValue().size() > 1) {
                List<String> who = new ArrayList<>();
                e.getValue()
                        .forEach((leader, p) -> who.add(Values.show(leader) + " (said by " + p.node() + " at "
                                + Times.shortSeconds(p.time()) + faults.during(p.time()) + ")"));
                bad.add("term " + e.getKey() + " had " + e.getValue().size() + " leaders: " + String.join(", ", who));
            }
        }
        if (bad.isEmpty()) {
            return Verdict.valid(
                    NAME,
                    "one leader in each of " + Ops.plural(byTerm.size(), "term") + " (" + samples + " samples)",
                    d);
        }
        return new Verdict(NAME, Validity.INVALID, String.join("; ", bad), List.of(), d);
    }
}
