package io.vmcluster.command;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a finished command did, wherever it ran (a guest over any command channel, the host, the
 * cluster's network namespace, libnftables): exit code, stdout and stderr as raw bytes kept apart
 * (with UTF-8 text views), and how long it took as seen from the host. The one result type of
 * every command in vmcluster.
 *
 * @param where where it ran, for messages: a node ({@code node2}), {@code host}, or a namespace
 * @param command the command as given: shell text for a guest, the argv quoted as sh words for a
 *     host program
 * @param exitCode the exit status ({@code 128 + n} when killed by signal {@code n}; 127 when the
 *     program could not be started, as a shell says it)
 * @param stdout everything written to stdout
 * @param stderr everything written to stderr
 * @param duration host-side time from starting the command to having the whole result
 */
public record CommandResult(
        String where, String command, int exitCode, byte[] stdout, byte[] stderr, Duration duration) {

    public CommandResult {
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(duration, "duration");
    }

    /** A result from text output (stand-ins in tests, libnftables' buffers). */
    public static CommandResult ofText(
            String where, String command, int exitCode, String stdout, String stderr, Duration duration) {
        return new CommandResult(
                where,
                command,
                exitCode,
                Objects.requireNonNullElse(stdout, "").getBytes(StandardCharsets.UTF_8),
                Objects.requireNonNullElse(stderr, "").getBytes(StandardCharsets.UTF_8),
                duration);
    }

    /** The command text for a host program's argv: each word quoted for sh, joined by spaces. */
    public static String commandLine(List<String> argv) {
        return ShellQuote.command(argv);
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
        return Evidence.stripTrailingNewlines(stdoutText());
    }

    /** Stderr, else stdout, cut to its first line: what to show a person as the reason. */
    public String firstComplaint() {
        String s = (stderrText().isBlank() ? stdoutText() : stderrText()).strip();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Returns this result if the exit code is 0, else throws {@link CommandFailedException}. */
    public CommandResult orThrow() {
        if (!succeeded()) {
            throw new CommandFailedException("command failed, expected exit code 0", this);
        }
        return this;
    }

    /** A readable multi-line account for exception messages and logs (output tails only). */
    public String describe() {
        return where + ", exit code " + exitCode + " after " + duration.toMillis() + " ms\n  command: " + command
                + "\n  stdout: " + Evidence.tail(stdout) + "\n  stderr: " + Evidence.tail(stderr);
    }

    /** Exit code and output tails on one line, for a message that names the command itself. */
    public String evidence() {
        return "exit " + exitCode + ", stdout: " + Evidence.tail(stdout) + ", stderr: " + Evidence.tail(stderr);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CommandResult r
                && exitCode == r.exitCode
                && where.equals(r.where)
                && command.equals(r.command)
                && Arrays.equals(stdout, r.stdout)
                && Arrays.equals(stderr, r.stderr)
                && duration.equals(r.duration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(where, command, exitCode, Arrays.hashCode(stdout), Arrays.hashCode(stderr), duration);
    }

    /** One line with the output's start quoted (what a REPL shows for {@code node1.succeed("hostname")}). */
    @Override
    public String toString() {
        return "CommandResult[" + where + ", exit=" + exitCode + ", " + duration.toMillis() + " ms, command=" + command
                + ", stdout=" + Evidence.quoted(stdout) + ", stderr=" + Evidence.quoted(stderr) + "]";
    }
}
