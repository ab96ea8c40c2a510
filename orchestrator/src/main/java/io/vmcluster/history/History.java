package io.vmcluster.history;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A whole history, as read from {@code history.jsonl} or kept by a {@link HistoryWriter}: its lines
 * in real-time order, the operations they form, and the probe samples. Immutable.
 *
 * <p>Built through {@link #of}, which checks what every checker relies on: indexes dense and in
 * order, times never going back, a process with at most one operation open, never reused after
 * {@code info}, and a completion's {@code f} matching its invocation.
 */
public final class History {
    private final List<HistoryEntry> entries;
    private final List<Op> ops;
    private final List<Probe> probes;
    private final List<Operation> operations;
    private final Map<Long, Operation> byInvokeIndex;
    private final Map<Long, Operation> byCompleteIndex;
    private final List<String> warnings;

    private History(List<HistoryEntry> entries, List<Operation> operations, List<String> warnings) {
        this.entries = List.copyOf(entries);
        List<Op> o = new ArrayList<>();
        List<Probe> p = new ArrayList<>();
        for (HistoryEntry e : entries) {
            if (e instanceof Op op) {
                o.add(op);
            } else if (e instanceof Probe pr) {
                p.add(pr);
            }
        }
        this.ops = List.copyOf(o);
        this.probes = List.copyOf(p);
        this.operations = List.copyOf(operations);
        Map<Long, Operation> m = new HashMap<>();
        Map<Long, Operation> c = new HashMap<>();
        for (Operation op : operations) {
            m.put(op.invoke().index(), op);
            if (op.completion() != null) {
                c.put(op.completion().index(), op);
            }
        }
        this.byInvokeIndex = m;
        this.byCompleteIndex = c;
        this.warnings = List.copyOf(warnings);
    }

    /** An empty history. */
    public static History empty() {
        return new History(List.of(), List.of(), List.of());
    }

    /**
     * Checks and pairs the entries.
     *
     * @throws IllegalArgumentException saying which entry breaks which rule (its position from 0)
     */
    public static History of(List<? extends HistoryEntry> entries) {
        return of(entries, List.of());
    }

    /** As {@link #of(List)}, keeping the reader's warnings (an incomplete last line, say). */
    public static History of(List<? extends HistoryEntry> entries, List<String> warnings) {
        Pairing p = new Pairing();
        for (int i = 0; i < entries.size(); i++) {
            String problem = p.accept(entries.get(i));
            if (problem != null) {
                throw new IllegalArgumentException("entry " + i + ": " + problem);
            }
        }
        return new History(new ArrayList<>(entries), p.operations(), warnings);
    }

    /** Every line, in file (real-time) order. */
    public List<HistoryEntry> entries() {
        return entries;
    }

    /** The operation lines (invocations and completions), in order. */
    public List<Op> ops() {
        return ops;
    }

    /** The probe samples, in order. */
    public List<Probe> probes() {
        return probes;
    }

    /** Every invocation paired with its completion (if any), in invocation order. */
    public List<Operation> operations() {
        return operations;
    }

    /** The operations with function {@code f}. */
    public List<Operation> operations(OpFunction f) {
        return operations.stream().filter(o -> o.f().equals(f)).toList();
    }

    /** The operation an invocation or completion line belongs to, or null. */
    public Operation operationOf(Op line) {
        return line.isInvoke() ? byInvokeIndex.get(line.index()) : byCompleteIndex.get(line.index());
    }

    /**
     * The operations grouped by independent key, keys in order of first appearance; operations
     * without a key are under the null key.
     */
    public Map<JsonNode, List<Operation>> byKey(Predicate<Operation> which) {
        Map<JsonNode, List<Operation>> m = new LinkedHashMap<>();
        for (Operation o : operations) {
            if (which.test(o)) {
                m.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(o);
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /** Time of the last line, or 0 for an empty history. */
    public long endTime() {
        return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).time();
    }

    /** What the reader noticed but could work around (an incomplete last line). */
    public List<String> warnings() {
        return warnings;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The rules every history keeps, checked line by line (the writer and the reader share them). */
    static final class Pairing {
        private long nextIndex;
        private long lastTime = Long.MIN_VALUE;
        private final Map<Long, Op> open = new LinkedHashMap<>();
        private final Map<Long, Op> crashed = new HashMap<>();
        private final List<Op> invokes = new ArrayList<>();
        private final Map<Long, Op> completionOf = new HashMap<>();

        /** Null when {@code e} may follow what came before, else what is wrong. */
        String accept(HistoryEntry e) {
            if (e.time() < lastTime) {
                return "time " + e.time() + " ns is before the previous line's " + lastTime
                        + " ns; lines must be in real-time order";
            }
            if (e instanceof Op op) {
                String problem = acceptOp(op);
                if (problem != null) {
                    return problem;
                }
                nextIndex++;
            }
            lastTime = e.time();
            return null;
        }

        private String acceptOp(Op op) {
            if (op.index() != nextIndex) {
                return "index " + op.index() + " where " + nextIndex
                        + " was expected; operation lines are numbered 0, 1, 2, ... in order";
            }
            Op pending = open.get(op.process());
            if (op.isInvoke()) {
                if (pending != null) {
                    return "process " + op.process() + " invokes " + op.f() + " while its " + pending.f() + " (index "
                            + pending.index() + ") is still open; a process does one operation at a time";
                }
                Op crash = crashed.get(op.process());
                if (crash != null) {
                    return "process " + op.process() + " invokes " + op.f() + " after its " + crash.f()
                            + " ended in info"
                            + " (index " + crash.index() + "); a process is never reused after info, the client"
                            + " gets a new process id";
                }
                open.put(op.process(), op);
                invokes.add(op);
                return null;
            }
            if (pending == null) {
                return "process " + op.process() + " completes " + op.f() + " ("
                        + op.type().wireName() + ") but has no open invocation";
            }
            if (!pending.f().equals(op.f())) {
                return "process " + op.process() + " completes " + op.f() + " but invoked " + pending.f() + " (index "
                        + pending.index() + ")";
            }
            if (!Objects.equals(pending.key(), op.key())) {
                return "process " + op.process() + " completes key " + Values.show(op.key()) + " but invoked key "
                        + Values.show(pending.key()) + " (index " + pending.index() + ")";
            }
            open.remove(op.process());
            completionOf.put(pending.index(), op);
            if (op.isInfo()) {
                crashed.put(op.process(), op);
            }
            return null;
        }

        /** The index the next operation line must have. */
        long nextIndex() {
            return nextIndex;
        }

        /** The open invocation of a process, or null. */
        Op openInvocation(long process) {
            return open.get(process);
        }

        /** True when the process ended in info and may not invoke again. */
        boolean crashed(long process) {
            return crashed.containsKey(process);
        }

        List<Operation> operations() {
            List<Operation> out = new ArrayList<>(invokes.size());
            for (Op inv : invokes) {
                out.add(new Operation(inv, completionOf.get(inv.index())));
            }
            return out;
        }
    }
}
