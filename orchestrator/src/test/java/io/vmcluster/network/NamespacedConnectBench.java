package io.vmcluster.network;

import io.vmcluster.time.Timing;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Benchmark (docs/benchmarks.md): TCP connect latency through {@link NamespacedSockets} into a
 * namespace, against the floor of a plain loopback connect on the host. Needs root.
 * Argument: connects per series (default 2000); the first round of each is warm-up.
 */
public final class NamespacedConnectBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        try (NetworkNamespace ns = NetworkNamespace.create(
                        "vmc-bench" + ProcessHandle.current().pid(), Timing.standard());
                ServerSocketChannel host = ServerSocketChannel.open()) {
            ns.addBridge(InterfaceName.bridge("lan"), IpPrefix.parse("192.168.1.254/24"));
            try (ServerSocketChannel inside = ns.sockets().openServerSocketChannel()) {
                inside.bind(new InetSocketAddress("192.168.1.254", 0));
                host.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                acceptAndClose(inside);
                acceptAndClose(host);
                InetSocketAddress in = (InetSocketAddress) inside.getLocalAddress();
                InetSocketAddress out = (InetSocketAddress) host.getLocalAddress();
                for (int round = 0; round < 2; round++) {
                    long[] plain = series(n, () -> SocketChannel.open(out));
                    long[] namespaced = series(n, () -> ns.sockets().connect(in, Duration.ofSeconds(5)));
                    if (round == 1) {
                        System.out.println("plain loopback connect (floor): " + percentiles(plain));
                        System.out.println("namespaced connect:             " + percentiles(namespaced));
                    }
                }
            }
        }
    }

    private static void acceptAndClose(ServerSocketChannel server) {
        Thread t = new Thread(() -> {
            while (server.isOpen()) {
                try {
                    server.accept().close();
                } catch (Exception closed) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }

    private static long[] series(int n, Callable<SocketChannel> connect) throws Exception {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            SocketChannel ch = connect.call();
            nanos[i] = System.nanoTime() - t0;
            ch.close();
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static String percentiles(long[] sorted) {
        return String.format(
                Locale.ROOT,
                "p50 %.0f us, p99 %.0f us (n=%d)",
                sorted[sorted.length / 2] / 1e3,
                sorted[sorted.length * 99 / 100] / 1e3,
                sorted.length);
    }
}
