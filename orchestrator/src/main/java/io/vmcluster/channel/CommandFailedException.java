package io.vmcluster.channel;

/** A command's exit code was not what the caller required ({@link Shell#succeed}, {@link Shell#fail}). */
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
