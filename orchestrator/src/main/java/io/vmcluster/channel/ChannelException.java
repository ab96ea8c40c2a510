package io.vmcluster.channel;

/**
 * The channel could not deliver a command or its result: the VM is gone, the connection broke,
 * the reply was garbled. Carries the node, the channel kind and the command (null when the
 * failure was not about one command).
 */
public class ChannelException extends RuntimeException {
    private final String node;
    private final String kind;
    private final String command;

    public ChannelException(String node, String kind, String command, String message, Throwable cause) {
        super(format(node, kind, command, message), cause);
        this.node = node;
        this.kind = kind;
        this.command = command;
    }

    private static String format(String node, String kind, String command, String message) {
        String s = "[" + node + " " + kind + "] " + message;
        return command == null ? s : s + "\n  command: " + command;
    }

    public String node() {
        return node;
    }

    /** {@code "console"}, {@code "ssh"} or {@code "agent"}. */
    public String kind() {
        return kind;
    }

    /** The command being run, or null. */
    public String command() {
        return command;
    }
}
