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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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

    private final Path namespace;
    private final ExecutorService thread;

    private NamespacedSockets(Path namespace, ExecutorService thread) {
        this.namespace = namespace;
        this.thread = thread;
    }

    /** Starts a thread inside the namespace bound at {@code nsPath} (e.g. /run/netns/NAME). */
    public static NamespacedSockets enter(Path nsPath) {
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "vmc-netns-" + nsPath.getFileName());
            t.setDaemon(true);
            return t;
        });
        NamespacedSockets sockets = new NamespacedSockets(nsPath, thread);
        try {
            String host = Native.currentNetworkNamespace();
            String inside = sockets.onThread("enter " + nsPath, () -> {
                Native.enterNetworkNamespace(nsPath);
                return Native.currentNetworkNamespace();
            });
            if (inside.equals(host)) {
                throw new IllegalStateException(
                        "setns into " + nsPath + " left the thread in the host namespace " + host);
            }
        } catch (RuntimeException e) {
            thread.shutdownNow();
            throw e;
        }
        return sockets;
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
                    "cannot connect to " + target + " in namespace " + namespace + ": " + e.getMessage(), e);
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
        return namespace;
    }

    /**
     * Stops the namespace thread (it goes back to the JVM's own namespace first, so nothing of it pins
     * the namespace). Sockets handed out stay open until their owners close them.
     */
    @Override
    public void close() {
        if (thread.isShutdown()) {
            return;
        }
        try {
            onThread("leave the namespace", () -> {
                Native.enterNetworkNamespace(Path.of("/proc/self/ns/net"));
                return null;
            });
        } catch (RuntimeException ignored) {
            // the thread ends anyway; its namespace reference goes with it
        }
        thread.shutdownNow();
    }

    int timeoutMillis(Duration nominal) {
        long ms = Timing.standard().scale(nominal).toMillis();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
    }

    private <T> T onThread(String what, Callable<T> task) {
        try {
            return thread.submit(task).get(OPEN_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw new UncheckedIOException(
                        "cannot " + what + " in namespace " + namespace + ": " + io.getMessage(), io);
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("cannot " + what + " in namespace " + namespace, c);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the namespace thread of " + namespace + " did not " + what + " within "
                    + OPEN_BOUND.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what + " in namespace " + namespace, e);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new IllegalStateException("sockets of namespace " + namespace + " are closed", e);
        }
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing on an error path
        }
    }
}
