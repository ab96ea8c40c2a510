package io.vmcluster.checker;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.history.History;
import io.vmcluster.history.HistoryEntry;
import io.vmcluster.history.Op;
import io.vmcluster.history.OpFunction;
import io.vmcluster.history.OpType;
import io.vmcluster.history.Values;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Histories of a real register: each client runs operations one after another; each operation takes
 * effect at a random instant between its invocation and its completion, on a sequential register per
 * key, so the history is linearizable by construction. Some operations end in {@code info} (they
 * took effect, or did not), and their client continues as a new process.
 */
final class RandomRegisterHistories {
    /** One generated operation before it becomes lines. */
    static final class Gen {
        long process;
        int key;
        OpFunction f;
        JsonNode input;
        JsonNode output;
        OpType type;
        long invoke;
        long point;
        long complete;
    }

    private RandomRegisterHistories() {}

    /**
     * @param clients concurrent clients
     * @param keys independent keys (1: no key)
     * @param opsPerKey operations per key, about
     */
    static List<Gen> generate(long seed, int clients, int keys, int opsPerKey) {
        SplittableRandom r = new SplittableRandom(seed);
        int total = keys * opsPerKey;
        List<Gen> ops = new ArrayList<>(total);
        long[] free = new long[clients];
        long[] process = new long[clients];
        for (int c = 0; c < clients; c++) {
            process[c] = c;
            free[c] = r.nextLong(1_000);
        }
        long nextValue = 1;
        for (int i = 0; i < total; i++) {
            int c = r.nextInt(clients);
            Gen g = new Gen();
            g.process = process[c];
            g.key = r.nextInt(keys);
            g.invoke = free[c] + 1 + r.nextLong(200);
            g.point = g.invoke + 1 + r.nextLong(1_000);
            g.complete = g.point + 1 + r.nextLong(1_000);
            int kind = r.nextInt(10);
            if (kind < 4) {
                g.f = OpFunction.WRITE;
                g.input = Values.of(nextValue++);
            } else if (kind < 8) {
                g.f = OpFunction.READ;
                g.input = Values.NULL;
            } else {
                g.f = OpFunction.CAS;
                g.input = Values.cas(r.nextLong(Math.max(1, nextValue)), nextValue++);
            }
            g.type = r.nextInt(20) == 0 ? OpType.INFO : OpType.OK;
            if (g.type == OpType.INFO) {
                process[c] += clients;
            }
            free[c] = g.complete;
            ops.add(g);
        }
        // execute at the linearization points
        ops.sort(Comparator.comparingLong(g -> g.point));
        Map<Integer, JsonNode> register = new HashMap<>();
        for (Gen g : ops) {
            JsonNode current = register.getOrDefault(g.key, Values.NULL);
            boolean applied = g.type == OpType.OK || r.nextBoolean(); // an info op may never happen
            if (g.f.equals(OpFunction.WRITE)) {
                if (applied) {
                    register.put(g.key, g.input);
                }
                g.output = g.input;
            } else if (g.f.equals(OpFunction.READ)) {
                g.output = current;
            } else {
                g.output = g.input;
                if (!current.equals(g.input.get(0))) {
                    if (g.type == OpType.OK) {
                        g.type = OpType.FAIL; // the cas did not match: it certainly did not happen
                    }
                } else if (applied) {
                    register.put(g.key, g.input.get(1));
                }
            }
        }
        return ops;
    }

    /** The lines of the operations, in time order, as a history. */
    static History history(List<Gen> ops, int keys) {
        record Line(long time, int order, Gen g, boolean invoke) {}
        List<Line> lines = new ArrayList<>();
        for (Gen g : ops) {
            lines.add(new Line(g.invoke, 0, g, true));
            lines.add(new Line(g.complete, 1, g, false));
        }
        lines.sort(Comparator.comparingLong(Line::time).thenComparingInt(Line::order));
        List<HistoryEntry> out = new ArrayList<>(lines.size());
        long index = 0;
        for (Line l : lines) {
            Gen g = l.g();
            JsonNode key = keys == 1 ? null : Values.of(g.key);
            if (l.invoke()) {
                out.add(new Op(index++, l.time(), g.process, OpType.INVOKE, g.f, key, g.input, null, null));
            } else {
                JsonNode v = g.f.equals(OpFunction.READ) && g.type != OpType.OK ? Values.NULL : g.output;
                out.add(new Op(
                        index++,
                        l.time(),
                        g.process,
                        g.type,
                        g.f,
                        key,
                        v,
                        null,
                        g.type == OpType.OK ? null : "timeout"));
            }
        }
        return History.of(out);
    }
}
