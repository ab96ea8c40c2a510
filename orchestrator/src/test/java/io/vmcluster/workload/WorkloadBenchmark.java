package io.vmcluster.workload;

import io.vmcluster.history.History;
import io.vmcluster.history.HistoryReader;
import io.vmcluster.history.HistoryWriter;
import io.vmcluster.history.OpFunction;
import io.vmcluster.history.Operation;
import io.vmcluster.time.Deadline;
import io.vmcluster.time.Timing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The driver's own cost (docs/benchmarks.md, {@code scripts/bench/workload}): HTTP adds against a
 * trivial server on loopback that answers at once, so what is measured is the driver (history
 * lines, classification, one connection per operation) plus the host's loopback. Prints ops/s and
 * latency percentiles per client count. Not a test.
 */
public final class WorkloadBenchmark {
    private WorkloadBenchmark() {}

    public static void main(String[] args) throws Exception {
        Duration each = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 5);
        Path dir = Files.createTempDirectory("vmc-workload-bench");
        try (LoopbackCluster servers = new LoopbackCluster("node1", "node2", "node3")) {
            run(servers, dir, 1, Duration.ofSeconds(1), "warm-up ");
            for (int clients : new int[] {1, 4, 16}) {
                run(servers, dir, clients, each, "");
            }
        } finally {
            try (var files = Files.list(dir)) {
                files.forEach(f -> f.toFile().delete());
            }
            Files.delete(dir);
        }
    }

    private static void run(LoopbackCluster servers, Path dir, int clients, Duration d, String label) {
        Path file = dir.resolve("h" + clients + ".jsonl");
        WorkloadSpec spec = WorkloadSpec.builder("bench")
                .clients(clients)
                .duration(d)
                .op(OpSpec.of(
                        OpFunction.ADD,
                        new Transport.Http("POST", LoopbackCluster.HTTP, "/add", Map.of(), "v=${value}")))
                .build();
        WorkloadSummary s;
        try (HistoryWriter h = HistoryWriter.open(file);
                Workload w = Workload.start(spec, servers, h, Timing.withMultiplier(1), n -> null)) {
            s = w.finish(Deadline.after(d.plusSeconds(30)));
        }
        History h = HistoryReader.read(file);
        long[] lat =
                h.operations().stream().mapToLong(Operation::latency).sorted().toArray();
        System.out.printf(
                Locale.ROOT,
                "%sclients %2d: %7.0f ops/s, %6d ops (%d not ok), latency p50 %.2f ms, p99 %.2f ms, %.0f us of wall"
                        + " per op per client%n",
                label,
                clients,
                s.opsPerSecond(),
                s.invoked(),
                s.fail() + s.info(),
                pct(lat, 0.50) / 1e6,
                pct(lat, 0.99) / 1e6,
                clients * 1e6 / Math.max(1, s.opsPerSecond()));
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))];
    }
}
