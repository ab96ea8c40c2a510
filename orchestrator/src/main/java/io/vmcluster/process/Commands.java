package io.vmcluster.process;

import io.vmcluster.time.Deadline;
import io.vmcluster.time.Timing;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs short commands ({@code ip}, {@code nft}, {@code qemu-img}) to completion and captures
 * their output.
 *
 * <p>Stdout and stderr go to temporary files rather than pipes, so a command that leaves a
 * background process holding its stdout open cannot hang the caller (the flaw of reading a pipe
 * until EOF). Stdin is {@code /dev/null}. A command still running at its timeout is killed
 * (SIGKILL) and {@link CommandTimeoutException} carries what it printed so far.
 */
public final class Commands {
    private static final Duration REAP_AFTER_KILL = Duration.ofSeconds(5);

    private Commands() {}

    /**
     * Runs {@code argv} and waits at most {@code timeout} (nominal, scaled by {@link Timing}).
     * Returns whatever the exit code is; call {@link CommandResult#orThrow()} to insist on 0.
     *
     * @throws CommandTimeoutException if it ran out of time (it has been killed)
     * @throws UncheckedIOException if it could not be started (e.g. the program does not exist)
     */
    public static CommandResult run(List<String> argv, Duration timeout) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        Deadline deadline = Timing.standard().deadline(timeout);
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("vmc-cmd-", ".out");
            err = Files.createTempFile("vmc-cmd-", ".err");
            Process p = new ProcessBuilder(argv)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            boolean exited = p.waitFor(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
            if (!exited) {
                p.destroyForcibly();
                p.waitFor(REAP_AFTER_KILL.toMillis(), TimeUnit.MILLISECONDS);
                throw new CommandTimeoutException(argv, deadline.total(), Files.readString(out), Files.readString(err));
            }
            return new CommandResult(
                    argv, p.exitValue(), Files.readAllBytes(out), Files.readAllBytes(err), deadline.elapsed());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", argv) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", argv), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Same as {@link #run(List, Duration)}. */
    public static CommandResult run(Duration timeout, String... argv) {
        return run(List.of(argv), timeout);
    }

    /** Runs and insists on exit code 0. */
    public static CommandResult succeed(Duration timeout, String... argv) {
        return run(List.of(argv), timeout).orThrow();
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a leftover empty temp file is not worth failing a command for
            }
        }
    }
}
