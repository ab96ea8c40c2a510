package io.vmcluster.checker;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.history.OpFunction;
import io.vmcluster.history.Operation;
import io.vmcluster.history.Values;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A read/write/compare-and-set register (Knossos' {@code cas-register}): {@code write v} sets it,
 * {@code read v} must return its value, {@code cas [old, new]} sets it to new only if it holds old.
 * A state is the value ({@link JsonNode}, {@link Values#NULL} before any write) or, for the start of
 * a window, {@link Among}: any of a set of values.
 */
public final class RegisterModel implements Model<Object> {
    private final JsonNode initial;

    /** @param initial the register's value before any write ({@link Values#NULL} for none) */
    public RegisterModel(JsonNode initial) {
        this.initial = Values.canonical(initial);
    }

    /** "Any of these values": what earlier writes may have left. */
    public record Among(Set<JsonNode> values) {
        public Among {
            values = Set.copyOf(values);
        }
    }

    @Override
    public boolean handles(OpFunction f) {
        return f.equals(OpFunction.READ) || f.equals(OpFunction.WRITE) || f.equals(OpFunction.CAS);
    }

    @Override
    public Object init() {
        return initial;
    }

    @Override
    public boolean readOnly(Operation op) {
        return op.f().equals(OpFunction.READ);
    }

    @Override
    public Object step(Object state, Operation op) {
        OpFunction f = op.f();
        if (f.equals(OpFunction.WRITE)) {
            return op.input();
        }
        if (f.equals(OpFunction.READ)) {
            return holds(state, op.value()) ? op.value() : null;
        }
        JsonNode cas = op.input();
        return holds(state, cas.get(0)) ? cas.get(1) : null;
    }

    private static boolean holds(Object state, JsonNode value) {
        return state instanceof Among a ? a.values().contains(value) : state.equals(value);
    }

    /** A cas's value must be {@code [old, new]}; null when it is, else what is wrong. */
    static String malformed(Operation op) {
        if (op.f().equals(OpFunction.CAS)
                && (!op.input().isArray() || op.input().size() != 2)) {
            return "history line " + op.invoke().index() + ": a cas's value must be [old, new], not "
                    + Values.show(op.input());
        }
        return null;
    }

    @Override
    public Object anyAfter(Object init, Collection<Operation> earlier) {
        Set<JsonNode> values = new LinkedHashSet<>();
        if (init instanceof Among a) {
            values.addAll(a.values());
        } else {
            values.add((JsonNode) init);
        }
        for (Operation o : earlier) {
            if (o.isFail()) {
                continue;
            }
            if (o.f().equals(OpFunction.WRITE)) {
                values.add(o.input());
            } else if (o.f().equals(OpFunction.CAS)) {
                values.add(o.input().get(1));
            }
        }
        return values.size() == 1 ? values.iterator().next() : new Among(values);
    }

    @Override
    public String describe(Object state) {
        if (state instanceof Among a) {
            return "any of " + Ops.firstFew(a.values());
        }
        return Values.show((JsonNode) state);
    }
}
