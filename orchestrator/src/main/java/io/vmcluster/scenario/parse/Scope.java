package io.vmcluster.scenario.parse;

import io.vmcluster.scenario.Template;
import io.vmcluster.yaml.Location;
import io.vmcluster.yaml.Problems;
import io.vmcluster.yaml.Suggest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The variables known at a point of a scenario, for the static check that every {@code ${name}}
 * refers to a param, a built-in, or a variable captured by an earlier step.
 */
public final class Scope {
    /** Variables every step sees: the node a command runs on, and all node names. */
    public static final Map<String, String> BUILT_INS = Map.of(
            "node", "the node the command runs on",
            "nodes", "every node name, space separated",
            "scenario", "the scenario's name");

    private final Map<String, String> defined;
    private final Problems problems;

    private Scope(Map<String, String> defined, Problems problems) {
        this.defined = defined;
        this.problems = problems;
    }

    public static Scope of(Iterable<String> params, Problems problems) {
        Map<String, String> d = new LinkedHashMap<>(BUILT_INS);
        for (String p : params) d.put(p, "param");
        return new Scope(d, problems);
    }

    /** A copy for a nested block (repeat body, a parallel branch). */
    public Scope child() {
        return new Scope(new LinkedHashMap<>(defined), problems);
    }

    /** Makes {@code name} known from here on; {@code where} says who sets it (for messages). */
    public void define(String name, String where) {
        defined.putIfAbsent(name, where);
    }

    /** Adds everything another scope learned (captures in parallel branches). */
    public void absorb(Scope other) {
        other.defined.forEach(defined::putIfAbsent);
    }

    /** Reports every {@code ${x}} in {@code text} that names no known variable. */
    public void check(String text, Location where) {
        if (text == null) return;
        String open = Template.unclosed(text);
        if (open != null) {
            problems.add(
                    where, "'" + open + "' is not closed: write ${name} with a closing '}' (or $${ for a literal ${)");
        }
        for (String ref : Template.references(text)) {
            if (!Template.NAME.matcher(ref).matches()) {
                problems.add(
                        where,
                        "'${" + ref + "}' is not a variable name (letters, digits, _ . -); "
                                + "write $${ for a literal ${");
            } else if (!defined.containsKey(ref)) {
                problems.add(
                        where,
                        "unknown variable ${" + ref + "}" + Suggest.didYouMean(ref, defined.keySet())
                                + " (known here: " + String.join(", ", defined.keySet())
                                + "; a variable must be a param or captured by an earlier step)");
            }
        }
    }
}
