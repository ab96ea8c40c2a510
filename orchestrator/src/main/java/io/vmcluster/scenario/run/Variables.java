package io.vmcluster.scenario.run;

import io.vmcluster.scenario.Template;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The values of a run's variables: params, built-ins and captures. Thread-safe. */
public final class Variables {
    private final Map<String, String> values = new ConcurrentHashMap<>();

    public Variables(Map<String, String> initial) {
        values.putAll(initial);
    }

    /** Every variable's value now (a copy). */
    public Map<String, String> values() {
        return Map.copyOf(values);
    }

    public void set(String name, String value) {
        values.put(name, value);
    }

    public String get(String name) {
        return values.get(name);
    }

    /** Substitutes {@code ${var}}; {@code node} (may be null) is the value of {@code ${node}}. */
    /**
     * {@code text} for people to read: every variable with a value substituted, the others
     * (and {@code ${node}}) left as written.
     */
    public String display(String text) {
        return Template.substitute(text, name -> {
            String v = name.equals("node") ? null : values.get(name);
            return v == null ? "${" + name + "}" : v;
        });
    }

    public String substitute(String text, String node) {
        return Template.substitute(text, name -> {
            if (name.equals("node")) {
                if (node == null)
                    throw new IllegalArgumentException("${node} is only defined in a command run on a node");
                return node;
            }
            String v = values.get(name);
            if (v == null) {
                throw new IllegalArgumentException(
                        "variable ${" + name + "} has no value yet (the step that sets it did not run)");
            }
            return v;
        });
    }
}
