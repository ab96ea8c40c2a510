package io.vmcluster.qmp.bench;

import io.vmcluster.qmp.QmpClient;
import io.vmcluster.qmp.QmpClientOptions;
import io.vmcluster.qmp.testing.QemuProcess;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * QMP round-trip latency of {@code query-status} against a real {@code qemu-system-x86_64
 * -machine none}: sequential calls after a warm-up, through {@link QmpClient} and through a
 * minimal blocking JDK socket client on a second QMP monitor of the same QEMU (the floor).
 *
 * <p>Run: {@code mvn -q -pl qmp test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.vmcluster.qmp.bench.QmpLatencyBenchmark [-Dexec.args="20000 5000"]}
 */
public final class QmpLatencyBenchmark {
    private QmpLatencyBenchmark() {}

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        try (QemuProcess qemu = QemuProcess.start("-qmp", "unix:floor.sock,server=on,wait=off")) {
            Path floorSocket = qemu.dir().resolve("floor.sock");
            System.out.printf(
                    Locale.ROOT,
                    "query-status round trip, %d calls after %d warm-up, %d cores, %s%n",
                    calls,
                    warmup,
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.version"));
            try (QmpClient client = QmpClient.connect(
                    qemu.qmpSocket(), QmpClientOptions.DEFAULTS.withConnectTimeout(Duration.ofSeconds(30)))) {
                report(
                        "QmpClient (execute + future.get)",
                        measure(
                                calls,
                                warmup,
                                () -> client.execute("query-status", null).get(5, TimeUnit.SECONDS)));
                try (Floor floor = new Floor(floorSocket)) {
                    report("floor: blocking JDK SocketChannel", measure(calls, warmup, floor::queryStatus));
                }
                report(
                        "QmpClient again (after the floor)",
                        measure(
                                calls,
                                warmup,
                                () -> client.execute("query-status", null).get(5, TimeUnit.SECONDS)));
            }
        }
    }

    interface Call {
        void run() throws Exception;
    }

    static long[] measure(int calls, int warmup, Call call) throws Exception {
        for (int i = 0; i < warmup; i++) {
            call.run();
        }
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            call.run();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return nanos;
    }

    static void report(String name, long[] sorted) {
        System.out.printf(
                Locale.ROOT,
                "%-38s p50 %7.1f us  p99 %7.1f us  p99.9 %7.1f us  max %8.1f us%n",
                name,
                pct(sorted, 50),
                pct(sorted, 99),
                pct(sorted, 99.9),
                sorted[sorted.length - 1] / 1000.0);
    }

    static double pct(long[] sorted, double p) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1000.0;
    }

    /** The least a client can do: write the command, read until the reply's newline. */
    static final class Floor implements AutoCloseable {
        private static final byte[] REQUEST =
                "{\"execute\":\"query-status\",\"id\":1}\n".getBytes(StandardCharsets.US_ASCII);
        private final SocketChannel channel;
        private final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
        private final ByteBuffer out = ByteBuffer.allocateDirect(256);

        Floor(Path socket) throws IOException {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try {
                    channel.connect(UnixDomainSocketAddress.of(socket));
                    break;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                }
            }
            readLine(); // greeting
            write("{\"execute\":\"qmp_capabilities\"}\n".getBytes(StandardCharsets.US_ASCII));
            readLine();
        }

        void queryStatus() throws IOException {
            write(REQUEST);
            readLine();
        }

        private void write(byte[] bytes) throws IOException {
            out.clear().put(bytes).flip();
            while (out.hasRemaining()) {
                channel.write(out);
            }
        }

        private void readLine() throws IOException {
            in.clear();
            while (true) {
                if (channel.read(in) < 0) {
                    throw new IOException("QEMU closed the floor socket");
                }
                if (in.position() > 0 && in.get(in.position() - 1) == '\n') {
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
