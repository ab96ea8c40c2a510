package io.vmcluster.workload;

import io.vmcluster.history.OpFunction;
import java.util.Objects;

/**
 * One function of a workload's mix: what it is called in the history, how often it is chosen, how
 * it reaches the cluster, what value it carries, how its answer is classified and read, and which
 * node it goes to.
 *
 * @param f the history's {@code f}: add, read, write, ...
 * @param weight relative frequency in the mix (at least 1)
 * @param transport how it runs
 * @param value the invocation's value
 * @param parse how an ok answer's value is read ({@link ValueParser#INPUT}: the invocation's)
 * @param expect how answers are classified
 * @param node which node each operation goes to
 */
public record OpSpec(
        OpFunction f,
        int weight,
        Transport transport,
        ValueKind value,
        ValueParser parse,
        Expect expect,
        NodePick node) {
    public OpSpec {
        Objects.requireNonNull(f, "f");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(parse, "parse");
        Objects.requireNonNull(expect, "expect");
        Objects.requireNonNull(node, "node");
        if (weight < 1) {
            throw new IllegalArgumentException("the weight of " + f + " must be at least 1, got " + weight);
        }
    }

    /**
     * {@code f} over {@code transport}, weight 1, round-robin over every node, the transport's
     * default classification; reads ({@code f} = read) carry no value and parse their answer as
     * text, a cas carries {@code [old, new]} ({@link ValueKind#CAS}), everything else carries a
     * unique integer and keeps it.
     */
    public static OpSpec of(OpFunction f, Transport transport) {
        boolean read = f.equals(OpFunction.READ);
        return new OpSpec(
                f,
                1,
                transport,
                read ? ValueKind.NONE : f.equals(OpFunction.CAS) ? ValueKind.CAS : ValueKind.UNIQUE,
                read ? ValueParser.text() : ValueParser.INPUT,
                Expect.DEFAULTS,
                NodePick.roundRobin(java.util.List.of()));
    }

    public OpSpec weight(int w) {
        return new OpSpec(f, w, transport, value, parse, expect, node);
    }

    public OpSpec value(ValueKind v) {
        return new OpSpec(f, weight, transport, v, parse, expect, node);
    }

    public OpSpec parse(ValueParser p) {
        return new OpSpec(f, weight, transport, value, p, expect, node);
    }

    public OpSpec expect(Expect e) {
        return new OpSpec(f, weight, transport, value, parse, e, node);
    }

    public OpSpec on(NodePick n) {
        return new OpSpec(f, weight, transport, value, parse, expect, n);
    }
}
