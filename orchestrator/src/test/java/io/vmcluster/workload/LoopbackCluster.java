package io.vmcluster.workload;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vmcluster.command.CommandResult;
import io.vmcluster.command.CommandTimeoutException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * A "cluster" of real servers on loopback, one per node, for driver tests without VMs: an HTTP set
 * service on logical port 80 (POST /add {@code v=N}, GET /list a JSON list of {@code {"v": "N"}},
 * GET /status/N answers N, GET /hang never answers until the cluster closes), a raw TCP counter on
 * logical port 7 ({@code INC\n} answers the new count and a newline) and guest commands answered by a
 * function. One node may ack early: it answers 200 to an add and forgets it.
 */
public final class LoopbackCluster implements WorkloadTarget, AutoCloseable {
    public static final int HTTP = 80;
    public static final int TCP = 7;

    public final Set<Long> stored = ConcurrentHashMap.newKeySet();
    final AtomicLong counter = new AtomicLong();
    final AtomicLong requests = new AtomicLong();
    private final List<String> nodes;
    private final Map<String, HttpServer> http = new LinkedHashMap<>();
    private final Map<String, ServerSocket> tcp = new LinkedHashMap<>();
    private final List<Thread> tcpThreads = new ArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final int closedPort;
    public volatile String acksEarly;
    public volatile BiFunction<String, String, CommandResult> guest =
            (node, cmd) -> CommandResult.ofText(node, cmd, 0, "", "", Duration.ZERO);

    public LoopbackCluster(String... names) throws IOException {
        nodes = List.of(names);
        for (String n : names) {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            s.setExecutor(Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "loopback-http-" + n);
                t.setDaemon(true);
                return t;
            }));
            s.createContext("/", x -> handle(n, x));
            s.start();
            http.put(n, s);
            ServerSocket ss = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
            tcp.put(n, ss);
            Thread t = new Thread(() -> serveTcp(ss), "loopback-tcp-" + n);
            t.setDaemon(true);
            t.start();
            tcpThreads.add(t);
        }
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort(); // closed again: connecting is refused
        }
    }

    private void handle(String node, HttpExchange x) throws IOException {
        requests.incrementAndGet();
        String path = x.getRequestURI().getPath();
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (path.equals("/add") && x.getRequestMethod().equals("POST")) {
            long v = Long.parseLong(body.substring(body.indexOf('=') + 1));
            if (!node.equals(acksEarly)) stored.add(v);
            reply(x, 200, "{\"added\":" + v + "}");
        } else if (path.equals("/list")) {
            StringBuilder sb = new StringBuilder("[");
            stored.stream()
                    .sorted()
                    .forEach(v -> sb.append(sb.length() > 1 ? "," : "")
                            .append("{\"v\":\"")
                            .append(v)
                            .append("\"}"));
            reply(x, 200, sb.append(']').toString());
        } else if (path.startsWith("/status/")) {
            reply(x, Integer.parseInt(path.substring("/status/".length())), "status body");
        } else if (path.equals("/hang")) {
            try {
                closing.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reply(x, 200, "late");
        } else {
            reply(x, 404, "no " + path);
        }
    }

    private static void reply(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, b.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(b);
        }
    }

    private void serveTcp(ServerSocket ss) {
        while (!ss.isClosed()) {
            try {
                Socket s = ss.accept();
                Thread t = new Thread(() -> {
                    try (s) {
                        InputStream in = s.getInputStream();
                        StringBuilder line = new StringBuilder();
                        int b;
                        while ((b = in.read()) >= 0 && b != '\n') line.append((char) b);
                        if (line.toString().equals("INC")) {
                            s.getOutputStream()
                                    .write(("" + counter.incrementAndGet() + "\n").getBytes(StandardCharsets.UTF_8));
                        } else {
                            s.getOutputStream().write("ERR unknown\n".getBytes(StandardCharsets.UTF_8));
                        }
                    } catch (IOException ignored) {
                        // the client went away
                    }
                });
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public List<String> nodes() {
        return nodes;
    }

    /** The address of a node's server for the logical port, or a closed port for any other. */
    @Override
    public InetSocketAddress address(String node, int port) {
        int real = switch (port) {
            case HTTP -> http.get(node).getAddress().getPort();
            case TCP -> tcp.get(node).getLocalPort();
            default -> closedPort;
        };
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), real);
    }

    @Override
    public SocketChannel connect(InetSocketAddress address, Duration timeout) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            ch.socket().connect(address, (int) timeout.toMillis());
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    /** Nodes that take no guest commands ("node2 is BOOTING"). */
    public final Set<String> booting = ConcurrentHashMap.newKeySet();

    @Override
    public java.util.Optional<String> unavailable(String node) {
        return booting.contains(node)
                ? java.util.Optional.of("node " + node + " is BOOTING")
                : java.util.Optional.empty();
    }

    @Override
    public CommandResult exec(String node, String command, Duration timeout) {
        CommandResult r = guest.apply(node, command);
        if (r == null) {
            throw new CommandTimeoutException(node, command, timeout, null, "the test said so");
        }
        return r;
    }

    @Override
    public void close() {
        closing.countDown();
        http.values().forEach(s -> s.stop(0));
        for (ServerSocket s : tcp.values()) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
