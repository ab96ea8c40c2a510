package io.vmcluster.checker;

import io.vmcluster.history.History;
import java.util.Locale;

/**
 * The "Linearizable checker" benchmark (docs/benchmarks.md): checks generated histories of a real
 * register (linearizable by construction, with 5% info operations) and prints the time per round.
 *
 * <p>Args: {@code [rounds]} (default 5). Workloads: 10,000 operations from 5 clients on one key, and
 * 100 keys x 1,000 operations from 5 clients (the keys checked in parallel).
 */
public final class LinearizableBenchmark {
    private LinearizableBenchmark() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        run("one key, 10000 ops, 5 clients", 5, 1, 10_000, rounds);
        run("100 keys x 1000 ops, 5 clients", 5, 100, 1_000, rounds);
    }

    private static void run(String name, int clients, int keys, int opsPerKey, int rounds) {
        History h =
                RandomRegisterHistories.history(RandomRegisterHistories.generate(42, clients, keys, opsPerKey), keys);
        LinearizableChecker checker = LinearizableChecker.register();
        checker.check(h, FaultWindows.none()); // warm-up
        for (int r = 1; r <= rounds; r++) {
            long t0 = System.nanoTime();
            Verdict v = checker.check(h, FaultWindows.none());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            Object configs = keys == 1 ? v.details().get("configs") : "-";
            System.out.printf(
                    Locale.ROOT,
                    "%s: round %d: %s in %d ms (%d operations, configs %s)%n",
                    name,
                    r,
                    v.validity().wireName(),
                    ms,
                    h.operations().size(),
                    configs);
        }
    }
}
