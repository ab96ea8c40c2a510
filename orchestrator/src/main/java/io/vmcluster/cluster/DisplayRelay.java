package io.vmcluster.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's screen for a VNC viewer on this host: a TCP port on 127.0.0.1 (chosen by the kernel)
 * whose every connection is joined, byte for byte both ways, to the VNC unix socket QEMU serves
 * the screen on. QEMU runs in the cluster's network namespace, so a port of its own would be out
 * of the host's reach; the socket is a file and the relay runs in the JVM, in the host's
 * namespace, on loopback only. A connection made while QEMU is down (a crash, a restart) is
 * closed at once; the next one reaches the new QEMU.
 */
final class DisplayRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DisplayRelay.class);

    private final String node;
    private final Path socket;
    private final ServerSocketChannel server;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private volatile Thread acceptor;
    private volatile boolean closed;

    private DisplayRelay(String node, Path socket, ServerSocketChannel server) {
        this.node = node;
        this.socket = socket;
        this.server = server;
    }

    /** Listens on 127.0.0.1 (a free port) and relays to {@code socket}. */
    static DisplayRelay open(String node, Path socket) {
        try {
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            DisplayRelay r = new DisplayRelay(node, socket, server);
            Thread t = new Thread(r::acceptLoop, "vmc-display-" + node);
            t.setDaemon(true);
            r.acceptor = t;
            t.start();
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot open a loopback port for " + node + "'s screen: " + e.getMessage(), e);
        }
    }

    /** 127.0.0.1 and the port a viewer connects to. */
    InetSocketAddress address() {
        try {
            return (InetSocketAddress) server.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel viewer;
            try {
                viewer = server.accept();
            } catch (IOException e) {
                if (!closed) LOG.warn("{}'s screen: accept failed: {}", node, e.toString());
                return;
            }
            SocketChannel qemu;
            try {
                qemu = SocketChannel.open(StandardProtocolFamily.UNIX);
                qemu.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                LOG.info("{}'s screen is not served now ({}): {}", node, socket, e.toString());
                closeQuietly(viewer);
                continue;
            }
            open.add(viewer);
            open.add(qemu);
            pump(viewer, qemu, "in");
            pump(qemu, viewer, "out");
        }
    }

    /** Copies {@code from} to {@code to} until either ends, then closes both. */
    private void pump(SocketChannel from, SocketChannel to, String way) {
        Thread t = new Thread(
                () -> {
                    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                    try {
                        while (from.read(buf) >= 0) {
                            buf.flip();
                            while (buf.hasRemaining()) to.write(buf);
                            buf.clear();
                        }
                    } catch (IOException e) {
                        LOG.debug("{}'s screen ({}): {}", node, way, e.toString());
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                        open.remove(from);
                        open.remove(to);
                    }
                },
                "vmc-display-" + node + "-" + way);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        open.forEach(DisplayRelay::closeQuietly);
        open.clear();
        // a channel closed while a thread is blocked in accept() is only released (its port
        // freed) once that thread has left accept(): wait for it, so the port is free on return
        Thread t = acceptor;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
