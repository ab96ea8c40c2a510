package io.vmcluster.qemu;

import io.vmcluster.process.ChildProcess;
import io.vmcluster.process.ProcessLauncher;
import io.vmcluster.process.ProcessSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One running QEMU: started through the {@link ProcessLauncher} (dies with the JVM, inside the
 * cluster's network namespace), its exact argv written next to its logs, stderr to a file, ttyS0
 * to the {@link SerialLog}.
 *
 * <p>Whatever waits on this QEMU being alive fails the moment it exits, with its {@link QemuExit}
 * (status, when, stderr and serial tails): waits built on {@link #whileRunning} or checking
 * {@link #exit()}, never a bound that runs out on a process that is already gone.
 */
public final class QemuProcess {
    /** How long a wait whose action failed gives the exit notice to arrive (the socket closes first). */
    private static final Duration EXIT_NOTICE = Duration.ofMillis(500);

    private static final int TAIL_LINES = 30;
    private static final AtomicInteger WAITER_THREADS = new AtomicInteger();
    private static final ExecutorService WAITERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "vmc-qemu-wait-" + WAITER_THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private final ChildProcess child;
    private final QemuCommandLine commandLine;
    private final SerialLog serial;
    private final long serialOffset;
    private final Path stderr;
    private final long startNanos = System.nanoTime();
    private final CompletableFuture<QemuExit> exit;

    private QemuProcess(
            ChildProcess child, QemuCommandLine commandLine, SerialLog serial, long serialOffset, Path stderr) {
        this.child = child;
        this.commandLine = commandLine;
        this.serial = serial;
        this.serialOffset = serialOffset;
        this.stderr = stderr;
        this.exit = child.onExit()
                .thenApply(code -> new QemuExit(
                        code,
                        Duration.ofNanos(System.nanoTime() - startNanos),
                        child.stderrTail(TAIL_LINES),
                        serial.tailSince(serialOffset, TAIL_LINES)));
    }

    /**
     * Writes {@code argvFile} (one argument per line), removes stale sockets, and starts QEMU.
     *
     * @param namespace network namespace QEMU runs in (where its taps are), if any
     */
    public static QemuProcess start(
            ProcessLauncher launcher,
            QemuCommandLine commandLine,
            Optional<String> namespace,
            Path argvFile,
            Path stderr) {
        List<String> argv = commandLine.argv();
        try {
            Files.write(argvFile, argv);
            for (Path socket : sockets(commandLine)) {
                Files.deleteIfExists(socket);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the files of " + commandLine.name() + ": " + e, e);
        }
        SerialLog serial = new SerialLog(commandLine.serialLog());
        long offset = serial.size();
        ProcessSpec spec = ProcessSpec.of(argv).stdout(stderr).stderr(stderr);
        if (namespace.isPresent()) {
            spec = spec.inNetworkNamespace(namespace.get());
        }
        return new QemuProcess(launcher.start(spec), commandLine, serial, offset, stderr);
    }

    private static List<Path> sockets(QemuCommandLine c) {
        return c.agentSocket().isPresent()
                ? List.of(c.qmpSocket(), c.consoleSocket(), c.agentSocket().get())
                : List.of(c.qmpSocket(), c.consoleSocket());
    }

    public long pid() {
        return child.pid();
    }

    public boolean isAlive() {
        return child.isAlive();
    }

    public CompletableFuture<Integer> onExit() {
        return child.onExit();
    }

    /** How it ended, once it has: status, when, stderr and serial tails. */
    public Optional<QemuExit> exit() {
        return exit.isDone() ? Optional.of(exit.join()) : Optional.empty();
    }

    /** How long ago it was started. */
    public Duration uptime() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    public QemuCommandLine commandLine() {
        return commandLine;
    }

    public Accelerator accelerator() {
        return commandLine.accelerator();
    }

    public SerialLog serial() {
        return serial;
    }

    /** Size of the serial log when this QEMU started: what it printed starts there. */
    public long serialOffset() {
        return serialOffset;
    }

    /** Whether the guest wrote anything to ttyS0 since this QEMU started. */
    public boolean showedSignOfLife() {
        return serial.size() > serialOffset;
    }

    /**
     * Whether the guest's kernel or init wrote to ttyS0 since this QEMU started (the real-mode
     * setup code's line does not count: see {@link SerialLog#showsGuestOutputSince}).
     */
    public boolean showedGuestOutput() {
        return serial.showsGuestOutputSince(serialOffset);
    }

    /** The last lines of the serial log since this QEMU started. */
    public String serialTail(int lines) {
        return serial.tailSince(serialOffset, lines);
    }

    /** SIGKILL and wait for it to be gone: a power cut, nothing flushed. */
    public int kill() {
        return child.kill();
    }

    /** The last lines QEMU wrote to stderr. */
    public String stderrTail(int lines) {
        return child.stderrTail(lines);
    }

    public Path stderrFile() {
        return stderr;
    }

    /** Something done while QEMU runs (a connect), which may fail with an I/O error. */
    @FunctionalInterface
    public interface Action<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code action} — a connect or a wait that only makes sense while this QEMU runs — and
     * fails it the moment QEMU exits, whatever bound the action has of its own: the action is
     * interrupted and a {@link QemuExitedException} naming {@code what} is thrown. An action that
     * failed because QEMU went away (its socket closed just before the exit was noticed) gets the
     * same exception, with the action's failure as the cause.
     *
     * @param bound the action's own bound (scaled); past it plus a margin the action is abandoned
     *     as stuck
     */
    public <T> T whileRunning(String what, Duration bound, Action<T> action) throws IOException {
        Optional<QemuExit> gone = exit();
        if (gone.isPresent()) {
            throw new QemuExitedException(what, gone.get(), null);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        Future<?> task = WAITERS.submit(() -> {
            try {
                result.complete(action.run());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            CompletableFuture.anyOf(result, exit)
                    .get(bound.plus(Duration.ofSeconds(5)).toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new IllegalStateException(what + " of " + commandLine.name() + " did not finish within " + bound);
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        } catch (ExecutionException e) {
            // one of them completed exceptionally: handled below
        }
        if (!result.isDone()) {
            task.cancel(true);
            result.thenAccept(QemuProcess::closeLate); // a connection made after all is not leaked
            throw new QemuExitedException(what, exit.join(), null);
        }
        try {
            return result.join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause();
            Optional<QemuExit> died = exitWithin(EXIT_NOTICE);
            if (died.isPresent()) {
                throw new QemuExitedException(what, died.get(), cause);
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(what + " failed: " + cause, cause);
        }
    }

    private static void closeLate(Object made) {
        if (made instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // QEMU is gone; so is whatever this was connected to
            }
        }
    }

    /** The exit, if QEMU has exited or does within {@code grace}. */
    public Optional<QemuExit> exitWithin(Duration grace) {
        try {
            return Optional.of(exit.get(grace.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return exit();
        } catch (ExecutionException e) {
            return Optional.empty();
        }
    }
}
