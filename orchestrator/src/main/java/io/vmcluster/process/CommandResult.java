package io.vmcluster.process;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * What a finished short command left: its argv, exit code, stdout and stderr (raw bytes) and how
 * long it ran.
 */
public record CommandResult(List<String> argv, int exitCode, byte[] stdoutBytes, byte[] stderrBytes, Duration took) {
    public CommandResult {
        argv = List.copyOf(argv);
    }

    /** Whether the command exited with 0. */
    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Stdout as UTF-8 text. */
    public String stdout() {
        return new String(stdoutBytes, StandardCharsets.UTF_8);
    }

    /** Stderr as UTF-8 text. */
    public String stderr() {
        return new String(stderrBytes, StandardCharsets.UTF_8);
    }

    /** Returns this result if the exit code is 0, else throws {@link CommandFailedException}. */
    public CommandResult orThrow() {
        if (!succeeded()) {
            throw new CommandFailedException(this);
        }
        return this;
    }

    @Override
    public String toString() {
        return "CommandResult[" + String.join(" ", argv) + " -> exit " + exitCode + "]";
    }
}
