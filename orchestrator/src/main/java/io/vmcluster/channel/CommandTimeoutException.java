package io.vmcluster.channel;

import java.time.Duration;

/**
 * A command did not finish within its timeout. It was killed (with its process group) inside the
 * guest when the guest could still be reached; {@link #partial()} holds what it had written by
 * then, when the channel could fetch it.
 */
public class CommandTimeoutException extends ChannelException {
    private final Duration timeout;
    private final transient CommandResult partial;

    public CommandTimeoutException(
            String node, String kind, String command, Duration timeout, CommandResult partial, String detail) {
        super(node, kind, command, message(timeout, partial, detail), null);
        this.timeout = timeout;
        this.partial = partial;
    }

    private static String message(Duration timeout, CommandResult partial, String detail) {
        String s = "command did not finish within " + timeout.toMillis() + " ms (" + detail + ")";
        if (partial != null) {
            s += "\n  partial stdout: " + Evidence.tail(partial.stdout()) + "\n  partial stderr: "
                    + Evidence.tail(partial.stderr());
        }
        return s;
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
