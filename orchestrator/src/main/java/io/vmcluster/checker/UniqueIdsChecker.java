package io.vmcluster.checker;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.history.History;
import io.vmcluster.history.OpFunction;
import io.vmcluster.history.Operation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code generate} operations must return distinct ids: every {@code ok} completion's value is
 * different from every other's. Invalid on any duplicate (listing the first few, who got them and
 * when); unknown when no generate succeeded.
 */
public final class UniqueIdsChecker implements Checker {
    public static final String NAME = "unique-ids";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verdict check(History history, FaultWindows faults) {
        List<Operation> gen = history.operations(OpFunction.GENERATE);
        Map<JsonNode, List<Operation>> byId = new LinkedHashMap<>();
        for (Operation o : gen) {
            if (o.isOk()) {
                byId.computeIfAbsent(o.value(), v -> new ArrayList<>()).add(o);
            }
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("attempted-count", gen.size());
        long acked = byId.values().stream().mapToLong(List::size).sum();
        d.put("acknowledged-count", acked);
        Map<JsonNode, List<Operation>> dups = new LinkedHashMap<>();
        byId.forEach((v, ops) -> {
            if (ops.size() > 1) {
                dups.put(v, ops);
            }
        });
        d.put("duplicated-count", dups.size());
        Map<String, Integer> shown = new LinkedHashMap<>();
        dups.entrySet().stream()
                .limit(48)
                .forEach(e -> shown.put(e.getKey().toString(), e.getValue().size()));
        d.put("duplicated", shown);
        if (acked == 0) {
            return Verdict.unknown(NAME, "no generate succeeded (" + gen.size() + " attempted)", d);
        }
        if (dups.isEmpty()) {
            return Verdict.valid(NAME, acked + " ids acknowledged, all distinct", d);
        }
        Map.Entry<JsonNode, List<Operation>> first = dups.entrySet().iterator().next();
        Operation second = first.getValue().get(1);
        String s = dups.size() + " of " + acked + " acknowledged ids handed out more than once: "
                + Ops.firstFew(dups.keySet()) + "; " + first.getKey() + " went to "
                + first.getValue().stream().map(Operation::describe).limit(3).toList()
                + faults.during(second.completeTime());
        return new Verdict(NAME, Validity.INVALID, s, Ops.lines(first.getValue()), d);
    }
}
