package io.vmcluster.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP relay from {@code 127.0.0.1:<ephemeral>} on the host to an address inside a namespace,
 * for clients that cannot be given a socket factory. Two threads per relayed connection; meant
 * for test clients, not bulk traffic. Closing it closes the listener and every open connection.
 */
public final class PortForward implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PortForward.class);

    private final NamespacedSockets sockets;
    private final InetSocketAddress target;
    private final Duration connectTimeout;
    private final ServerSocketChannel listener;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();

    private PortForward(
            NamespacedSockets sockets,
            InetSocketAddress target,
            Duration connectTimeout,
            ServerSocketChannel listener) {
        this.sockets = sockets;
        this.target = target;
        this.connectTimeout = connectTimeout;
        this.listener = listener;
    }

    static PortForward start(NamespacedSockets sockets, InetSocketAddress target, Duration connectTimeout) {
        try {
            ServerSocketChannel listener = ServerSocketChannel.open(); // host namespace: this thread
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            PortForward f = new PortForward(sockets, target, connectTimeout, listener);
            daemon("vmc-forward-" + f.localAddress().getPort(), f::acceptLoop).start();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on loopback to forward to " + target, e);
        }
    }

    /** Where host-side clients connect: {@code 127.0.0.1:PORT}. */
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The address inside the namespace connections are relayed to. */
    public InetSocketAddress target() {
        return target;
    }

    @Override
    public void close() {
        NamespacedSockets.closeQuietly(listener);
        open.forEach(NamespacedSockets::closeQuietly);
        open.clear();
    }

    private void acceptLoop() {
        while (listener.isOpen()) {
            SocketChannel client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            open.add(client);
            daemon("vmc-forward-conn", () -> relay(client)).start();
        }
    }

    private void relay(SocketChannel client) {
        SocketChannel server;
        try {
            server = sockets.connect(target, connectTimeout);
        } catch (RuntimeException e) {
            LOG.debug("forward to {} failed: {}", target, e.getMessage());
            NamespacedSockets.closeQuietly(client);
            open.remove(client);
            return;
        }
        open.add(server);
        Thread back = daemon("vmc-forward-back", () -> pump(server, client));
        back.start();
        pump(client, server);
        try {
            back.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        NamespacedSockets.closeQuietly(client);
        NamespacedSockets.closeQuietly(server);
        open.remove(client);
        open.remove(server);
    }

    /** Copies until EOF, then half-closes the other side so the peer sees EOF too. */
    private static void pump(SocketChannel from, SocketChannel to) {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        try {
            while (from.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    to.write(buf);
                }
                buf.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            NamespacedSockets.closeQuietly(from);
            NamespacedSockets.closeQuietly(to);
        }
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
