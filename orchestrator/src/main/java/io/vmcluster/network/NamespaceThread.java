package io.vmcluster.network;

import io.vmcluster.nativeio.Native;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One daemon thread that entered a network namespace ({@code setns}) and runs tasks there, one at
 * a time. Whatever a task creates that is bound to a namespace at creation (sockets, netlink
 * sockets inside native libraries) lives in this namespace, while the rest of the JVM stays in
 * the host's. Every call waits for its task with a bound and says what it waited for.
 */
final class NamespaceThread implements AutoCloseable {
    private final Path namespace;
    private final ExecutorService thread;

    private NamespaceThread(Path namespace, ExecutorService thread) {
        this.namespace = namespace;
        this.thread = thread;
    }

    /**
     * Starts a thread named {@code vmc-<role>-<namespace>} inside the namespace bound at
     * {@code nsPath} (e.g. /run/netns/NAME), and checks that it really left the host namespace.
     */
    static NamespaceThread enter(Path nsPath, String role, Duration bound) {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "vmc-" + role + "-" + nsPath.getFileName());
            t.setDaemon(true);
            return t;
        });
        NamespaceThread ns = new NamespaceThread(nsPath, executor);
        try {
            String host = Native.currentNetworkNamespace();
            String inside = ns.call("enter " + nsPath, bound, () -> {
                Native.enterNetworkNamespace(nsPath);
                return Native.currentNetworkNamespace();
            });
            if (inside.equals(host)) {
                throw new IllegalStateException(
                        "setns into " + nsPath + " left the thread in the host namespace " + host);
            }
        } catch (RuntimeException e) {
            executor.shutdownNow();
            throw e;
        }
        return ns;
    }

    /** Where the thread is. */
    Path namespace() {
        return namespace;
    }

    /**
     * Runs {@code task} on the thread and returns its result; an exception of the task comes back
     * as it was (checked ones wrapped, naming {@code what} and the namespace).
     */
    <T> T call(String what, Duration bound, Callable<T> task) {
        try {
            return thread.submit(task).get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw new UncheckedIOException(
                        "cannot " + what + " in namespace " + namespace + ": " + io.getMessage(), io);
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("cannot " + what + " in namespace " + namespace, c);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the namespace thread of " + namespace + " did not " + what + " within "
                    + bound.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what + " in namespace " + namespace, e);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("the namespace thread of " + namespace + " is closed", e);
        }
    }

    /**
     * Runs {@code last} on the thread (best effort), sends the thread back to the JVM's own
     * namespace, so nothing of it pins this one, and stops it. Idempotent.
     */
    void close(Runnable last, Duration bound) {
        if (thread.isShutdown()) {
            return;
        }
        try {
            call("leave the namespace", bound, () -> {
                try {
                    last.run();
                } finally {
                    Native.enterNetworkNamespace(Path.of("/proc/self/ns/net"));
                }
                return null;
            });
        } catch (RuntimeException ignored) {
            // the thread ends anyway; its namespace reference goes with it
        }
        thread.shutdownNow();
    }

    @Override
    public void close() {
        close(() -> {}, Duration.ofSeconds(10));
    }
}
