package io.vmcluster.report;

import io.vmcluster.report.html.ReportPage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;

/**
 * The "Report page" benchmark (docs/benchmarks.md): writes {@link SampleWorkload}'s run with 2,000
 * and 100,000 operations and times, per round, reading the results directory (events, history,
 * checks.json) and rendering the page, and prints the page's size.
 *
 * <p>Args: {@code [rounds]} (default 5).
 */
public final class ReportBenchmark {
    private ReportBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        run(2_000, 5, rounds); // the most operations drawn one by one
        run(100_000, 10, rounds);
    }

    private static void run(int ops, int clients, int rounds) throws Exception {
        Path dir = Files.createTempDirectory("vmc-report-bench");
        try {
            ResultsDirectory results = SampleWorkload.writeTo(dir, ops, clients);
            ReportPage.render(HtmlReport.read(results)); // warm-up
            for (int r = 1; r <= rounds; r++) {
                long t0 = System.nanoTime();
                ReportData data = HtmlReport.read(results);
                long t1 = System.nanoTime();
                String html = ReportPage.render(data);
                long t2 = System.nanoTime();
                System.out.printf(
                        Locale.ROOT,
                        "%d operations, %d clients: round %d: read %d ms, render %d ms, page %d bytes%n",
                        ops,
                        clients,
                        r,
                        (t1 - t0) / 1_000_000,
                        (t2 - t1) / 1_000_000,
                        html.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
            }
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
