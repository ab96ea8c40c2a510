package io.vmcluster.cluster;

import io.vmcluster.cluster.spec.ClusterSpec;
import io.vmcluster.qemu.Accelerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The vmcluster side of the "Cluster start" benchmark (docs/benchmarks.md): starts an N-node
 * cluster under TCG and prints the time from {@code Cluster.start} to "all ready" and the JVM's
 * memory with the cluster running. Its results directory is kept for the shell floor.
 *
 * <p>Args: nodes, results directory.
 */
public final class ClusterStartBenchmark {
    private ClusterStartBenchmark() {}

    public static void main(String[] args) throws Exception {
        int nodes = Integer.parseInt(args[0]);
        Path results = Path.of(args[1]).toAbsolutePath();
        RunOptions options = RunOptions.defaults()
                .withAccelerator(Accelerator.TCG)
                .withResultsDir(results)
                .withBootTimeout(Duration.ofSeconds(600));
        long start = System.nanoTime();
        try (Cluster cluster = Cluster.start(ClusterSpec.builder().nodes(nodes).build(), options)) {
            long ms = (System.nanoTime() - start) / 1_000_000;
            System.out.println("VMCLUSTER_MS " + ms);
            cluster.parallel(n -> n.succeed("true"));
            System.gc();
            Runtime rt = Runtime.getRuntime();
            long heap = (rt.totalMemory() - rt.freeMemory()) >> 20;
            String rss = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("VmRSS:"))
                    .findFirst()
                    .orElse("VmRSS: ? kB")
                    .replaceAll("\\s+", " ");
            System.out.println(
                    "MEMORY nodes=" + nodes + " heapUsedMiB=" + heap + " " + rss + " threads=" + Thread.activeCount());
        }
    }
}
