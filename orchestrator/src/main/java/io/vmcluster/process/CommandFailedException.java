package io.vmcluster.process;

/** A command exited non-zero; the message carries argv, exit code, stdout and stderr. */
public final class CommandFailedException extends RuntimeException {
    private static final int MAX_SHOWN = 2_000;
    private final transient CommandResult result;

    public CommandFailedException(CommandResult result) {
        super("command failed with exit " + result.exitCode() + ": " + String.join(" ", result.argv())
                + section("stdout", result.stdout()) + section("stderr", result.stderr()));
        this.result = result;
    }

    /** The full result of the failed command. */
    public CommandResult result() {
        return result;
    }

    private static String section(String name, String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return "";
        }
        if (t.length() > MAX_SHOWN) {
            t = "..." + t.substring(t.length() - MAX_SHOWN);
        }
        return "\n" + name + ": " + t;
    }
}
