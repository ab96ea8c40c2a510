package io.vmcluster.command;

import java.time.Duration;

/**
 * A command did not finish within its timeout and was killed: a guest command together with its
 * process group inside the guest when the guest could still be reached, a host program with
 * SIGKILL. {@link #partial()} holds what it had written by then, when that could be fetched.
 */
public class CommandTimeoutException extends RuntimeException {
    private final String where;
    private final String command;
    private final Duration timeout;
    private final transient CommandResult partial;

    /**
     * @param where where it ran, e.g. {@code node1 console} or {@code host}
     * @param command the command as given
     * @param timeout the (scaled) timeout that passed
     * @param partial output written before the kill, or null
     * @param detail how it was stopped, for the message
     */
    public CommandTimeoutException(
            String where, String command, Duration timeout, CommandResult partial, String detail) {
        super(message(where, command, timeout, partial, detail));
        this.where = where;
        this.command = command;
        this.timeout = timeout;
        this.partial = partial;
    }

    private static String message(
            String where, String command, Duration timeout, CommandResult partial, String detail) {
        String s = "[" + where + "] command did not finish within " + timeout.toMillis() + " ms (" + detail + ")"
                + "\n  command: " + command;
        if (partial != null) {
            s += "\n  partial stdout: " + Evidence.tail(partial.stdout()) + "\n  partial stderr: "
                    + Evidence.tail(partial.stderr());
        }
        return s;
    }

    /** Where it ran, e.g. {@code node1 console} or {@code host}. */
    public String where() {
        return where;
    }

    /** The command that timed out. */
    public String command() {
        return command;
    }

    /** The (scaled) timeout that passed. */
    public Duration timeout() {
        return timeout;
    }

    /** Output written before the kill, or null when it could not be fetched. */
    public CommandResult partial() {
        return partial;
    }
}
