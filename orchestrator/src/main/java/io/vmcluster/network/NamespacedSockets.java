package io.vmcluster.network;

import io.vmcluster.nativeio.Native;
import io.vmcluster.time.Timing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Sockets that live in a {@link NetworkNamespace} while the JVM stays in the host's.
 *
 * <p><b>How:</b> a socket belongs to the network namespace of the thread that created it, for
 * its whole life, whichever thread uses it later. So one dedicated thread enters the namespace
 * once ({@code setns(fd, CLONE_NEWNET)} via {@link Native}) and does nothing but create sockets;
 * callers then connect, read and write them from any thread. Only the <em>creation</em> runs on
 * that thread, so a slow connect never blocks other callers.
 *
 * <p><b>JDK caveat:</b> the socket's file descriptor must be created on that thread. NIO channels
 * ({@link SocketChannel#open()}, {@link DatagramChannel#open}, {@link ServerSocketChannel#open()})
 * create it in the constructor; a plain {@code new Socket()} creates it lazily, possibly later on
 * another thread, so every {@link Socket} handed out here is the adaptor of a channel opened on
 * the namespace thread. {@code NamespacedSocketsIT} proves a socket made here reaches an address
 * that exists only inside the namespace.
 */
public final class NamespacedSockets implements AutoCloseable {
    private static final Duration OPEN_BOUND = Duration.ofSeconds(10);

    private final NamespaceThread thread;
    private final Timing timing;

    private NamespacedSockets(NamespaceThread thread, Timing timing) {
        this.thread = thread;
        this.timing = timing;
    }

    /**
     * Starts a thread inside the namespace bound at {@code nsPath} (e.g. /run/netns/NAME);
     * {@code timing} scales the connect timeouts given to it.
     */
    public static NamespacedSockets enter(Path nsPath, Timing timing) {
        return new NamespacedSockets(NamespaceThread.enter(nsPath, "netns", OPEN_BOUND), timing);
    }

    /** An unconnected, blocking TCP channel in the namespace. */
    public SocketChannel openSocketChannel() {
        return onThread("open a TCP socket", SocketChannel::open);
    }

    /**
     * A blocking TCP channel connected to {@code target}, or an exception naming the target and
     * the namespace if it could not connect within {@code timeout} (nominal, Timing-scaled).
     */
    public SocketChannel connect(InetSocketAddress target, Duration timeout) {
        SocketChannel ch = openSocketChannel();
        try {
            ch.socket().connect(target, timeoutMillis(timeout));
            return ch;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UncheckedIOException(
                    "cannot connect to " + target + " in namespace " + namespace() + ": " + e.getMessage(), e);
        }
    }

    /** {@link #connect} as a {@link Socket} (the channel's adaptor: streams, SO_TIMEOUT work). */
    public Socket socket(InetSocketAddress target, Duration timeout) {
        return connect(target, timeout).socket();
    }

    /** An unconnected UDP channel (IPv4) in the namespace; bind or connect it as needed. */
    public DatagramChannel openDatagramChannel() {
        return onThread("open a UDP socket", () -> DatagramChannel.open(StandardProtocolFamily.INET));
    }

    /** An unbound TCP server channel in the namespace (e.g. a service guests call back). */
    public ServerSocketChannel openServerSocketChannel() {
        return onThread("open a TCP server socket", ServerSocketChannel::open);
    }

    /** A {@link javax.net.SocketFactory} whose sockets live in the namespace (for HTTP clients etc.). */
    public javax.net.SocketFactory socketFactory() {
        return new NamespacedSocketFactory(this);
    }

    /**
     * A jsch socket factory ({@code session.setSocketFactory(..)}) whose connections live in the
     * namespace; jsch gives a custom factory no timeout, so it is fixed here.
     */
    public com.jcraft.jsch.SocketFactory jschSocketFactory(Duration connectTimeout) {
        return new NamespacedJschSocketFactory(this, connectTimeout);
    }

    /**
     * Listens on {@code 127.0.0.1:<ephemeral>} in the host namespace and relays every connection
     * to {@code target} inside the namespace: for clients that cannot take a socket factory
     * (e.g. {@code java.net.http.HttpClient}, or a host tool).
     */
    public PortForward forward(InetSocketAddress target, Duration connectTimeout) {
        return PortForward.start(this, target, connectTimeout);
    }

    /** Where this namespace is bound. */
    public Path namespace() {
        return thread.namespace();
    }

    /**
     * Stops the namespace thread (it goes back to the JVM's own namespace first, so nothing of it pins
     * the namespace). Sockets handed out stay open until their owners close them.
     */
    @Override
    public void close() {
        thread.close();
    }

    int timeoutMillis(Duration nominal) {
        long ms = timing.scale(nominal).toMillis();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
    }

    private <T> T onThread(String what, Callable<T> task) {
        return thread.call(what, OPEN_BOUND, task);
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing on an error path
        }
    }
}
