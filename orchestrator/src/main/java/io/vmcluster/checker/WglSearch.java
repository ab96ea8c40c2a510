package io.vmcluster.checker;

import io.vmcluster.history.Operation;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The Wing-Gong linearizability search with Lowe's memoisation, as Porcupine and Knossos' {@code
 * wgl} do it, for one independent object (P-compositionality is the caller's: one search per key).
 *
 * <p>Calls and returns sit in one doubly linked list in real-time order. The search walks it from the
 * head: a call whose operation the model accepts in the current state is linearized (the call and
 * its return are lifted out of the list, the state advances, the walk restarts at the head); a return
 * reached means its operation can no longer be linearized in time, so the search backtracks to the
 * last choice. Every (set of linearized operations, state) configuration is remembered, and a step
 * into one already seen is skipped. Indeterminate operations return "at infinity": they may take
 * effect any time after their invocation, or never; when the walk reaches one of their returns, every
 * determinate operation has been linearized, and the history is linearizable.
 *
 * <p>Sets of linearized operations are remembered compactly: the first operation not yet
 * linearized, and the few after it that are (bounded by the concurrency), with a Zobrist hash.
 */
final class WglSearch<S> {
    enum Outcome {
        LINEARIZABLE,
        NOT_LINEARIZABLE,
        GAVE_UP
    }

    /**
     * One operation as the search sees it.
     *
     * @param op the operation (for the model)
     * @param call its position in real time (the invocation's line index)
     * @param ret its return's position, {@link Long#MAX_VALUE} when indeterminate
     */
    record Call(Operation op, long call, long ret) {
        boolean indeterminate() {
            return ret == Long.MAX_VALUE;
        }
    }

    /** Limits of one search: configurations remembered, and a deadline on {@link System#nanoTime()}. */
    record Budget(long maxConfigs, long deadline) {
        boolean expired() {
            return System.nanoTime() - deadline > 0;
        }
    }

    /**
     * @param configs configurations remembered
     * @param why for {@link Outcome#GAVE_UP}: which limit
     */
    record Result(Outcome outcome, long configs, String why) {}

    private final Model<S> model;

    WglSearch(Model<S> model) {
        this.model = model;
    }

    private record Config(int prefix, int[] extras, Object state, int hash) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Config c
                    && c.hash == hash
                    && c.prefix == prefix
                    && Arrays.equals(c.extras, extras)
                    && Objects.equals(c.state, state);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    Result run(S init, List<Call> calls, Budget budget) {
        int n = calls.size();
        if (n == 0) {
            return new Result(Outcome.LINEARIZABLE, 0, null);
        }
        // order entries: node 2i is op i's call, 2i+1 its return
        Integer[] order = new Integer[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            long pa = position(calls, a);
            long pb = position(calls, b);
            if (pa != pb) {
                return Long.compare(pa, pb);
            }
            return Integer.compare(a, b);
        });
        int head = 2 * n;
        int[] next = new int[2 * n + 1];
        int[] prev = new int[2 * n + 1];
        int last = head;
        for (Integer e : order) {
            next[last] = e;
            prev[e] = last;
            last = e;
        }
        next[last] = -1;

        long[] zobrist = new long[n];
        SplittableRandom random = new SplittableRandom(0x5eed);
        for (int i = 0; i < n; i++) {
            zobrist[i] = random.nextLong();
        }
        BitSet linearized = new BitSet(n);
        long z = 0;
        HashSet<Config> cache = new HashSet<>();
        int[] stackOp = new int[n];
        Object[] stackState = new Object[n];
        int depth = 0;
        S state = init;
        int entry = next[head];
        long steps = 0;
        while (next[head] != -1) {
            if ((++steps & 0xfff) == 0 && budget.expired()) {
                return new Result(Outcome.GAVE_UP, cache.size(), "time");
            }
            if ((entry & 1) == 0) { // a call
                int i = entry >> 1;
                S after = model.step(state, calls.get(i).op());
                if (after != null) {
                    linearized.set(i);
                    z ^= zobrist[i];
                    if (cache.add(config(linearized, z, after))) {
                        if (cache.size() > budget.maxConfigs()) {
                            return new Result(Outcome.GAVE_UP, cache.size(), "configs");
                        }
                        stackOp[depth] = i;
                        stackState[depth] = state;
                        depth++;
                        state = after;
                        lift(entry, next, prev);
                        entry = next[head];
                    } else {
                        linearized.clear(i);
                        z ^= zobrist[i];
                        entry = next[entry];
                    }
                } else {
                    entry = next[entry];
                }
            } else { // a return
                int i = entry >> 1;
                if (calls.get(i).indeterminate()) {
                    return new Result(Outcome.LINEARIZABLE, cache.size(), null);
                }
                if (depth == 0) {
                    return new Result(Outcome.NOT_LINEARIZABLE, cache.size(), null);
                }
                depth--;
                int j = stackOp[depth];
                @SuppressWarnings("unchecked")
                S previous = (S) stackState[depth];
                state = previous;
                stackState[depth] = null;
                linearized.clear(j);
                z ^= zobrist[j];
                unlift(2 * j, next, prev);
                entry = next[2 * j];
            }
        }
        return new Result(Outcome.LINEARIZABLE, cache.size(), null);
    }

    private static long position(List<? extends Call> calls, int node) {
        Call c = calls.get(node >> 1);
        return (node & 1) == 0 ? c.call() : c.ret();
    }

    private static Config config(BitSet linearized, long z, Object state) {
        int prefix = linearized.nextClearBit(0);
        int count = 0;
        for (int b = linearized.nextSetBit(prefix); b >= 0; b = linearized.nextSetBit(b + 1)) {
            count++;
        }
        int[] extras = new int[count];
        int k = 0;
        for (int b = linearized.nextSetBit(prefix); b >= 0; b = linearized.nextSetBit(b + 1)) {
            extras[k++] = b;
        }
        return new Config(prefix, extras, state, Long.hashCode(z) * 31 + state.hashCode());
    }

    /** Takes a call (node {@code c}) and its return (node {@code c + 1}) out of the list. */
    private static void lift(int c, int[] next, int[] prev) {
        unlink(c, next, prev);
        unlink(c + 1, next, prev);
    }

    /** Puts them back, the return first (the reverse of {@link #lift}). */
    private static void unlift(int c, int[] next, int[] prev) {
        relink(c + 1, next, prev);
        relink(c, next, prev);
    }

    private static void unlink(int e, int[] next, int[] prev) {
        next[prev[e]] = next[e];
        if (next[e] != -1) {
            prev[next[e]] = prev[e];
        }
    }

    private static void relink(int e, int[] next, int[] prev) {
        next[prev[e]] = e;
        if (next[e] != -1) {
            prev[next[e]] = e;
        }
    }
}
