package io.vmcluster.checker;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.history.Op;
import io.vmcluster.history.Operation;
import io.vmcluster.history.Values;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** Small helpers the checkers share for reporting operations and values. */
public final class Ops {
    /** How many values a message lists before "and N more". */
    public static final int SHOWN = 8;

    private Ops() {}

    /** The invocation and completion lines of the operations, in history order. */
    public static List<Op> lines(Collection<Operation> ops) {
        List<Op> out = new ArrayList<>();
        for (Operation o : ops) {
            out.add(o.invoke());
            if (o.completion() != null) {
                out.add(o.completion());
            }
        }
        out.sort(Comparator.comparingLong(Op::index));
        return out;
    }

    /** The first {@link #SHOWN} values, comma-separated, with "and N more" when there are more. */
    public static String firstFew(Collection<JsonNode> values) {
        String shown = values.stream().limit(SHOWN).map(Values::show).collect(Collectors.joining(", "));
        return values.size() > SHOWN ? shown + " and " + (values.size() - SHOWN) + " more" : shown;
    }

    /** The values as JSON-shaped Java (for details), at most {@code limit}. */
    public static List<Object> sample(Collection<JsonNode> values, int limit) {
        return values.stream().limit(limit).map(v -> (Object) v).toList();
    }

    /** Key prefix for messages: {@code "key \"k1\": "}, or empty for the null key. */
    public static String keyPrefix(JsonNode key) {
        return key == null ? "" : "key " + Values.show(key) + ": ";
    }

    /** "1 add" / "3 adds". */
    public static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
