package io.vmcluster.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.process.ChildProcess;
import io.vmcluster.process.ProcessLauncher;
import io.vmcluster.process.ProcessSpec;
import io.vmcluster.time.Timing;
import io.vmcluster.time.Wait;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Sockets made by {@link NamespacedSockets} live in the namespace: the same port on 127.0.0.1 has
 * one listener on the host (answers "host") and another inside the namespace (answers "inside"),
 * and 192.168.1.254 exists only inside. No packet leaves loopback or the namespace.
 */
@EnabledIf("io.vmcluster.network.TestHost#canManageNamespaces")
class NamespacedSocketsIT {
    private static final Duration CONNECT = Duration.ofSeconds(5);
    private static final String ONLY_INSIDE = "192.168.1.254";

    private static NetworkNamespace ns;
    private static ServerSocket hostListener;
    private static ChildProcess insideListener;
    private static int port;

    @BeforeAll
    static void namespaceWithAListenerInsideAndAnotherOnTheHost() {
        hostListener = startHostListener();
        port = hostListener.getLocalPort();
        ns = NetworkNamespace.create(TestHost.uniqueNamespaceName("sock"), Timing.standard());
        ns.addBridge(InterfaceName.bridge("lan"), IpPrefix.parse(ONLY_INSIDE + "/24"));
        insideListener = ProcessLauncher.create(Timing.standard())
                .start(ProcessSpec.of(
                                "busybox", "nc", "-ll", "-p", Integer.toString(port), "-e", "busybox", "echo", "inside")
                        .inNetworkNamespace(ns.name()));
        Wait.forCondition("busybox nc to listen on port " + port + " inside " + ns)
                .atMost(Duration.ofSeconds(10))
                .until(() -> {
                    String got = readAll(ns.sockets().socket(loopback(port), CONNECT));
                    if (!got.equals("inside")) {
                        throw Wait.notYet("the namespaced socket read '" + got + "'");
                    }
                    return true;
                });
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (insideListener != null) {
            insideListener.kill();
        }
        if (ns != null) {
            ns.close();
        }
        if (hostListener != null) {
            hostListener.close();
        }
    }

    @Test
    void connectReachesTheListenerInsideAndNotTheHostOne() throws IOException {
        try (SocketChannel ch = ns.sockets().connect(loopback(port), CONNECT)) {
            assertThat(readAll(ch.socket()))
                    .as("namespaced socket to 127.0.0.1:%d", port)
                    .isEqualTo("inside");
        }
        try (Socket plain = new Socket()) {
            plain.connect(loopback(port), 5_000);
            assertThat(readAll(plain))
                    .as("a plain socket of the JVM stays on the host")
                    .isEqualTo("host");
        }
    }

    @Test
    void reachesAnAddressThatExistsOnlyInTheNamespace() throws IOException {
        assertThat(readAll(ns.sockets().socket(new InetSocketAddress(ONLY_INSIDE, port), CONNECT)))
                .isEqualTo("inside");
    }

    @Test
    void socketFactoryMakesNamespacedSockets() throws IOException {
        javax.net.SocketFactory f = ns.sockets().socketFactory();
        assertThat(readAll(f.createSocket(ONLY_INSIDE, port))).isEqualTo("inside");
        try (Socket unconnected = f.createSocket()) {
            unconnected.connect(loopback(port), 5_000);
            assertThat(readAll(unconnected))
                    .as("an unconnected socket from the factory already lives in the namespace")
                    .isEqualTo("inside");
        }
    }

    @Test
    void jschSocketFactoryMakesNamespacedSockets() throws IOException {
        com.jcraft.jsch.SocketFactory f = ns.sockets().jschSocketFactory(CONNECT);
        Socket s = f.createSocket(ONLY_INSIDE, port);
        try (InputStream in = f.getInputStream(s)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip())
                    .isEqualTo("inside");
        }
    }

    @Test
    void portForwardRelaysAHostClientIntoTheNamespace() throws IOException {
        try (PortForward fwd = ns.sockets().forward(new InetSocketAddress(ONLY_INSIDE, port), CONNECT)) {
            assertThat(fwd.localAddress().getAddress().isLoopbackAddress()).isTrue();
            try (Socket client = new Socket()) {
                client.connect(fwd.localAddress(), 5_000);
                assertThat(readAll(client)).isEqualTo("inside");
            }
        }
    }

    @Test
    void anHttpClientReachesAServerInsideThroughAPortForward(@org.junit.jupiter.api.io.TempDir java.nio.file.Path www)
            throws Exception {
        java.nio.file.Files.writeString(www.resolve("hello.txt"), "hello from inside\n");
        int httpPort = port + 1 <= 65535 ? port + 1 : port - 1;
        try (ChildProcess httpd = ProcessLauncher.create(Timing.standard())
                        .start(ProcessSpec.of(
                                        "busybox",
                                        "httpd",
                                        "-f",
                                        "-p",
                                        ONLY_INSIDE + ":" + httpPort,
                                        "-h",
                                        www.toString())
                                .inNetworkNamespace(ns.name()));
                PortForward fwd = ns.sockets().forward(new InetSocketAddress(ONLY_INSIDE, httpPort), CONNECT)) {
            java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                    .connectTimeout(CONNECT)
                    .build();
            java.net.URI uri =
                    java.net.URI.create("http://127.0.0.1:" + fwd.localAddress().getPort() + "/hello.txt");
            String body = Wait.forCondition("busybox httpd inside " + ns + " to serve " + uri)
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> {
                        var r = client.send(
                                java.net.http.HttpRequest.newBuilder(uri)
                                        .timeout(CONNECT)
                                        .build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) {
                            throw Wait.notYet("HTTP " + r.statusCode());
                        }
                        return r.body();
                    });
            assertThat(body).isEqualTo("hello from inside\n");
        }
    }

    @Test
    void datagramChannelsLiveInTheNamespace() throws IOException {
        try (DatagramChannel host = DatagramChannel.open()) {
            assertThatThrownBy(() -> host.bind(new InetSocketAddress(ONLY_INSIDE, 0)))
                    .as("the host has no %s", ONLY_INSIDE)
                    .isInstanceOf(BindException.class);
        }
        try (DatagramChannel rx = ns.sockets().openDatagramChannel();
                DatagramChannel tx = ns.sockets().openDatagramChannel()) {
            rx.bind(new InetSocketAddress(ONLY_INSIDE, 0));
            tx.send(ByteBuffer.wrap("ping".getBytes(StandardCharsets.UTF_8)), rx.getLocalAddress());
            ByteBuffer got = ByteBuffer.allocate(16);
            rx.receive(got);
            assertThat(new String(got.array(), 0, got.position(), StandardCharsets.UTF_8))
                    .isEqualTo("ping");
        }
    }

    @Test
    void aFailedConnectNamesTheTargetAndTheNamespace() {
        assertThatThrownBy(() -> ns.sockets().connect(new InetSocketAddress(ONLY_INSIDE, 1), CONNECT))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(ONLY_INSIDE + ":1")
                .hasMessageContaining(ns.name());
    }

    private static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    private static String readAll(Socket s) throws IOException {
        try (s) {
            s.setSoTimeout(5_000);
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }

    private static ServerSocket startHostListener() {
        try {
            ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(
                    () -> {
                        while (!server.isClosed()) {
                            try (Socket s = server.accept()) {
                                s.getOutputStream().write("host\n".getBytes(StandardCharsets.UTF_8));
                            } catch (IOException closed) {
                                return;
                            }
                        }
                    },
                    "host-listener");
            t.setDaemon(true);
            t.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
