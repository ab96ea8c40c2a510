package io.vmcluster.channel;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a command did: exit code, stdout and stderr (raw bytes, kept apart) and how long the
 * round trip took as seen from the host.
 *
 * @param node the node it ran on
 * @param command the shell command as given
 * @param exitCode the exit status ({@code 128 + n} when killed by signal {@code n})
 * @param stdout everything written to stdout
 * @param stderr everything written to stderr
 * @param duration host-side time from sending the command to having the whole result
 */
public record CommandResult(
        String node, String command, int exitCode, byte[] stdout, byte[] stderr, Duration duration) {

    public CommandResult {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(duration, "duration");
    }

    /** True when the exit code is 0. */
    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Stdout decoded as UTF-8 (malformed bytes replaced). */
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** Stderr decoded as UTF-8 (malformed bytes replaced). */
    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    /** Stdout as text without trailing newlines, the usual shape of a one-line answer. */
    public String stdoutLine() {
        return stripTrailingNewlines(stdoutText());
    }

    static String stripTrailingNewlines(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }

    /** A readable multi-line account for exception messages and logs (output tails only). */
    public String describe() {
        return "node " + node + ", exit code " + exitCode + " after " + duration.toMillis() + " ms\n  command: "
                + command + "\n  stdout: " + Evidence.tail(stdout) + "\n  stderr: " + Evidence.tail(stderr);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CommandResult r
                && exitCode == r.exitCode
                && node.equals(r.node)
                && command.equals(r.command)
                && Arrays.equals(stdout, r.stdout)
                && Arrays.equals(stderr, r.stderr)
                && duration.equals(r.duration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(node, command, exitCode, Arrays.hashCode(stdout), Arrays.hashCode(stderr), duration);
    }

    @Override
    public String toString() {
        return "CommandResult[node=" + node + ", exit=" + exitCode + ", stdout=" + stdout.length + " bytes, stderr="
                + stderr.length + " bytes, " + duration.toMillis() + " ms, command=" + command + "]";
    }
}
