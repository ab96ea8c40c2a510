package io.vmcluster.process;

import io.vmcluster.time.Durations;
import io.vmcluster.time.Timing;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A long-lived child started by {@link ProcessLauncher}. Its exit is a future; stopping it is
 * SIGTERM, then SIGKILL after a grace period, with a bound on both. Closing it stops it.
 */
public final class ChildProcess implements AutoCloseable {
    private static final Duration REAP_BOUND = Duration.ofSeconds(5);

    private final ProcessSpec spec;
    private final Process process;
    private final ProcessIdentity identity;
    private final CompletableFuture<Integer> exit;
    private final Timing timing;

    ChildProcess(ProcessSpec spec, Process process, ProcessIdentity identity, Timing timing) {
        this.spec = spec;
        this.process = process;
        this.identity = identity;
        this.timing = timing;
        this.exit = process.onExit().thenApply(Process::exitValue);
    }

    /** The child's pid (the program's own: the wrappers exec it). */
    public long pid() {
        return identity.pid();
    }

    /** Pid and start time, as recorded in the run directory. */
    public ProcessIdentity identity() {
        return identity;
    }

    /** What was launched (the argv without the setpriv/nsenter wrappers is {@code spec().argv()}). */
    public ProcessSpec spec() {
        return spec;
    }

    /** Whether the child has not exited yet. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Completes with the exit code when the child exits (128+N if killed by signal N). */
    public CompletableFuture<Integer> onExit() {
        return exit;
    }

    /**
     * Asks the child to stop (SIGTERM), waits up to {@code grace} (nominal, scaled by the launcher's timing), then kills it (SIGKILL) and
     * waits for it to be gone. Returns the exit code. Safe to call on an exited child.
     *
     * @throws IllegalStateException if the child survived SIGKILL for several seconds (it is stuck
     *     in the kernel, e.g. uninterruptible I/O)
     */
    public int stop(Duration grace) {
        if (!process.isAlive()) {
            return awaitExit(REAP_BOUND);
        }
        process.destroy();
        try {
            return exit.get(timing.scale(grace).toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return kill();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping " + describe(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for " + describe() + " failed", e);
        }
    }

    /** Kills the child (SIGKILL) and waits for it to be gone; returns the exit code. */
    public int kill() {
        process.destroyForcibly();
        return awaitExit(REAP_BOUND);
    }

    /** Stops the child with a 2 s grace period. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(2));
    }

    /** The last {@code maxLines} lines of the child's stderr file (empty if not a regular file). */
    public String stderrTail(int maxLines) {
        try {
            if (!Files.isRegularFile(spec.stderr())) {
                return "";
            }
            List<String> lines = Files.readAllLines(spec.stderr());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - maxLines), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + spec.stderr() + ": " + e.getMessage() + ")";
        }
    }

    /** "pid 1234 (qemu-system-x86_64)". */
    public String describe() {
        return "pid " + pid() + " (" + spec.argv().get(0) + ")";
    }

    @Override
    public String toString() {
        return "ChildProcess[" + describe() + "]";
    }

    private int awaitExit(Duration bound) {
        try {
            return exit.get(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    describe() + " still exists " + Durations.format(bound) + " after SIGKILL (stuck in the kernel?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + describe() + " to exit", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for " + describe() + " failed", e);
        }
    }
}
