package io.vmcluster.process;

import io.vmcluster.command.CommandResult;
import io.vmcluster.command.CommandTimeoutException;
import io.vmcluster.time.Deadline;
import io.vmcluster.time.Timing;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs short host commands ({@code ip}, {@code nft}, {@code qemu-img}) to completion and captures
 * their output, every timeout scaled by the {@link Timing} it was made with.
 *
 * <p>Stdout and stderr go to temporary files rather than pipes, so a command that leaves a
 * background process holding its stdout open cannot hang the caller (the flaw of reading a pipe
 * until EOF). Stdin is {@code /dev/null} unless bytes are given. A command still running at its
 * timeout is killed (SIGKILL) and {@link CommandTimeoutException} carries what it printed so far.
 */
public final class Commands implements CommandRunner {
    private static final Duration REAP_AFTER_KILL = Duration.ofSeconds(5);

    private final Timing timing;

    private Commands(Timing timing) {
        this.timing = Objects.requireNonNull(timing, "timing");
    }

    /** Host commands whose timeouts {@code timing} scales. */
    public static Commands with(Timing timing) {
        return new Commands(timing);
    }

    /** The timing that scales this runner's timeouts. */
    public Timing timing() {
        return timing;
    }

    @Override
    public CommandResult run(List<String> argv, byte[] stdin, Duration timeout) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        String line = CommandResult.commandLine(argv);
        Deadline deadline = timing.deadline(timeout);
        Path in = null;
        Path out = null;
        Path err = null;
        try {
            File input = new File("/dev/null");
            if (stdin != null) {
                in = Files.createTempFile("vmc-cmd-", ".in");
                Files.write(in, stdin);
                input = in.toFile();
            }
            out = Files.createTempFile("vmc-cmd-", ".out");
            err = Files.createTempFile("vmc-cmd-", ".err");
            Process p = new ProcessBuilder(argv)
                    .redirectInput(ProcessBuilder.Redirect.from(input))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            boolean exited = p.waitFor(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
            if (!exited) {
                p.destroyForcibly();
                p.waitFor(REAP_AFTER_KILL.toMillis(), TimeUnit.MILLISECONDS);
                CommandResult partial = new CommandResult(
                        "host", line, -1, Files.readAllBytes(out), Files.readAllBytes(err), deadline.elapsed());
                throw new CommandTimeoutException("host", line, deadline.total(), partial, "killed with SIGKILL");
            }
            return new CommandResult(
                    "host", line, p.exitValue(), Files.readAllBytes(out), Files.readAllBytes(err), deadline.elapsed());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + line + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + line, e);
        } finally {
            deleteQuietly(in);
            deleteQuietly(out);
            deleteQuietly(err);
        }
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
