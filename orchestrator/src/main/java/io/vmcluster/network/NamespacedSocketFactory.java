package io.vmcluster.network;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import javax.net.SocketFactory;

/**
 * A {@link SocketFactory} over {@link NamespacedSockets}. Host names are resolved by the JVM (in
 * the host namespace): give it IP addresses. Connects without their own timeout use 10 s.
 */
final class NamespacedSocketFactory extends SocketFactory {
    private static final Duration DEFAULT_CONNECT = Duration.ofSeconds(10);
    private final NamespacedSockets sockets;

    NamespacedSocketFactory(NamespacedSockets sockets) {
        this.sockets = sockets;
    }

    /** Unconnected: its descriptor already lives in the namespace; the caller connects it. */
    @Override
    public Socket createSocket() {
        return sockets.openSocketChannel().socket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connect(createSocket(), new InetSocketAddress(InetAddress.getByName(host), port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket s = createSocket();
        s.bind(new InetSocketAddress(localHost, localPort));
        return connect(s, new InetSocketAddress(InetAddress.getByName(host), port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connect(createSocket(), new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        Socket s = createSocket();
        s.bind(new InetSocketAddress(localAddress, localPort));
        return connect(s, new InetSocketAddress(address, port));
    }

    private Socket connect(Socket s, InetSocketAddress target) throws IOException {
        try {
            s.connect(target, sockets.timeoutMillis(DEFAULT_CONNECT));
            return s;
        } catch (IOException e) {
            s.close();
            throw new IOException(
                    "cannot connect to " + target + " in namespace " + sockets.namespace() + ": " + e.getMessage(), e);
        }
    }
}
