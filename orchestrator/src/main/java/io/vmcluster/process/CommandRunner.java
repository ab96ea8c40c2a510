package io.vmcluster.process;

import io.vmcluster.command.CommandResult;
import io.vmcluster.command.CommandTimeoutException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/**
 * Runs short host programs ({@code ip}, {@code nft}, {@code qemu-img}, {@code tc}) to completion.
 * {@link Commands} is the real one; host checks and fault tests hand in stand-ins.
 */
public interface CommandRunner {
    /**
     * Runs {@code argv} with {@code stdin} (null: {@code /dev/null}) and waits at most {@code
     * timeout} (nominal, scaled by the runner's timing). Returns whatever the exit code is; call
     * {@link CommandResult#orThrow()} to insist on 0.
     *
     * @throws CommandTimeoutException if it ran out of time (it has been killed)
     * @throws UncheckedIOException if it could not be started (e.g. the program does not exist)
     */
    CommandResult run(List<String> argv, byte[] stdin, Duration timeout);

    /** {@link #run(List, byte[], Duration)} with no input. */
    default CommandResult run(List<String> argv, Duration timeout) {
        return run(argv, null, timeout);
    }

    /** {@link #run(List, Duration)} with the words as varargs. */
    default CommandResult run(Duration timeout, String... argv) {
        return run(List.of(argv), timeout);
    }

    /** Runs and insists on exit code 0 ({@link io.vmcluster.command.CommandFailedException} otherwise). */
    default CommandResult succeed(Duration timeout, String... argv) {
        return run(List.of(argv), timeout).orThrow();
    }

    /**
     * Runs {@code argv} to find out what the host can do: never throws for the program's sake. A
     * program that cannot be started gives exit code 127 (as a shell says it) and one that runs out
     * of time exit code -1, each with the reason in stderr.
     */
    default CommandResult probe(Duration timeout, List<String> argv) {
        String line = CommandResult.commandLine(argv);
        try {
            return run(argv, timeout);
        } catch (UncheckedIOException e) {
            return CommandResult.ofText(
                    "host",
                    line,
                    127,
                    "",
                    "cannot run " + argv.get(0) + ": "
                            + (e.getCause() == null
                                    ? e.getMessage()
                                    : e.getCause().getMessage()),
                    Duration.ZERO);
        } catch (CommandTimeoutException e) {
            return CommandResult.ofText(
                    "host",
                    line,
                    -1,
                    e.partial() == null ? "" : e.partial().stdoutText(),
                    line + " did not finish within " + e.timeout().toMillis() + " ms",
                    e.timeout());
        }
    }

    /** {@link #probe(Duration, List)} with the words as varargs. */
    default CommandResult probe(Duration timeout, String... argv) {
        return probe(timeout, List.of(argv));
    }
}
