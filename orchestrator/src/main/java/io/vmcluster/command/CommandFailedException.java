package io.vmcluster.command;

/**
 * A command's exit code was not what the caller required: a guest command through {@code
 * Shell.succeed} / {@code Shell.fail}, or a host program through {@link CommandResult#orThrow()}.
 * The message names where it ran, the command, the exit code and the output tails.
 */
public class CommandFailedException extends RuntimeException {
    private final transient CommandResult result;

    public CommandFailedException(String expectation, CommandResult result) {
        super(expectation + ": " + result.describe());
        this.result = result;
    }

    /** The full result, output included. */
    public CommandResult result() {
        return result;
    }
}
