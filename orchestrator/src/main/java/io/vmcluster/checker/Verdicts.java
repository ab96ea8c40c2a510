package io.vmcluster.checker;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.history.Op;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Combining per-key verdicts, and the order values are listed in. */
final class Verdicts {
    /** Numbers numerically first, then everything else by its JSON text. */
    static final Comparator<JsonNode> VALUE_ORDER = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return Double.compare(a.doubleValue(), b.doubleValue());
        }
        if (a.isNumber() != b.isNumber()) {
            return a.isNumber() ? -1 : 1;
        }
        return a.toString().compareTo(b.toString());
    };

    private Verdicts() {}

    /**
     * One verdict for many keys: the worst validity; the explanation of the invalid (then unknown)
     * keys first, at most three, and a count of the rest; per-key details under {@code keys}.
     */
    static Verdict combine(String checker, List<Verdict> perKey) {
        Validity v = Validity.merge(perKey.stream().map(Verdict::validity).toList());
        List<Verdict> worstFirst = new ArrayList<>(perKey);
        worstFirst.sort(Comparator.comparingInt(x -> switch (x.validity()) {
            case INVALID -> 0;
            case UNKNOWN -> 1;
            case VALID -> 2;
        }));
        long bad = perKey.stream().filter(x -> x.validity() == v).count();
        StringBuilder s = new StringBuilder();
        s.append(
                v == Validity.VALID
                        ? "all " + perKey.size() + " keys valid"
                        : bad + " of " + perKey.size() + " keys " + v.wireName());
        List<Op> ops = new ArrayList<>();
        int shown = 0;
        for (Verdict x : worstFirst) {
            if (shown == 3 || (v != Validity.VALID && x.validity() != v)) {
                break;
            }
            s.append(shown == 0 ? ": " : "; ").append(x.explanation());
            if (ops.isEmpty()) {
                ops.addAll(x.ops());
            }
            shown++;
        }
        if (bad > shown && v != Validity.VALID) {
            s.append("; and ").append(bad - shown).append(" more");
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("key-count", perKey.size());
        Map<String, Object> counts = new LinkedHashMap<>();
        for (Validity x : Validity.values()) {
            counts.put(
                    x.wireName(), perKey.stream().filter(p -> p.validity() == x).count());
        }
        d.put("keys-by-validity", counts);
        d.put("keys", perKey.stream().map(Verdict::details).toList());
        return new Verdict(checker, v, s.toString(), ops, d);
    }
}
