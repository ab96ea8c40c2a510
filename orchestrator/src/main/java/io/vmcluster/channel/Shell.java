package io.vmcluster.channel;

import io.vmcluster.command.CommandFailedException;
import io.vmcluster.command.CommandResult;
import io.vmcluster.command.Evidence;
import io.vmcluster.command.ShellQuote;
import io.vmcluster.time.Deadline;
import io.vmcluster.time.Timing;
import io.vmcluster.time.Wait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The test vocabulary on top of any {@link CommandChannel}: {@code succeed}, {@code fail},
 * {@code waitUntilSucceeds}, {@code waitForPort}, {@code copyIn}/{@code copyOut}. Every wait goes
 * through {@link Wait}, whose timeout message carries the last try's output. All timeouts are
 * nominal (scaled by {@link Timing}).
 *
 * <pre>{@code
 * Shell sh = Shell.on(node.console());
 * sh.succeed("mkdir -p /var/lib/vmc/x");
 * sh.copyIn(Path.of("job.json"), "/var/lib/vmc/x/job.json");
 * sh.waitForPort(2379, Duration.ofSeconds(60));
 * String members = sh.succeed("etcdctl member list").stdoutText();
 * }</pre>
 */
public final class Shell {
    /** Bound for one command when the caller gives none. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final CommandChannel channel;
    private final Timing timing;

    private Shell(CommandChannel channel, Timing timing) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.timing = Objects.requireNonNull(timing, "timing");
    }

    /** A shell over {@code channel}; {@code timing} must be the channel's timing too. */
    public static Shell on(CommandChannel channel, Timing timing) {
        return new Shell(channel, timing);
    }

    public CommandChannel channel() {
        return channel;
    }

    /** Runs the command and returns its result whatever the exit code. */
    public CommandResult run(String command) {
        return channel.run(command, DEFAULT_TIMEOUT);
    }

    /** Runs the command; a non-zero exit is a {@link CommandFailedException} with all output. */
    public CommandResult succeed(String command) {
        return succeed(command, DEFAULT_TIMEOUT);
    }

    /** Runs the command within {@code timeout}; a non-zero exit is a {@link CommandFailedException}. */
    public CommandResult succeed(String command, Duration timeout) {
        CommandResult r = channel.run(command, timeout);
        if (!r.succeeded()) {
            throw new CommandFailedException("command failed, expected exit code 0", r);
        }
        return r;
    }

    /** Runs the command and expects a non-zero exit; exit 0 is a {@link CommandFailedException}. */
    public CommandResult fail(String command) {
        CommandResult r = channel.run(command, DEFAULT_TIMEOUT);
        if (r.succeeded()) {
            throw new CommandFailedException("command succeeded, expected a non-zero exit code", r);
        }
        return r;
    }

    /** Runs the command again and again until it exits 0; returns that result. */
    public CommandResult waitUntilSucceeds(String command, Duration timeout) {
        return retry("`" + command + "` to succeed on " + channel.node(), command, timeout, true);
    }

    /** Runs the command again and again until it exits non-zero; returns that result. */
    public CommandResult waitUntilFails(String command, Duration timeout) {
        return retry("`" + command + "` to fail on " + channel.node(), command, timeout, false);
    }

    /** Waits until something in the guest listens on TCP {@code port} (any address, IPv4 or IPv6). */
    public void waitForPort(int port, Duration timeout) {
        waitUntilSucceeds(listeningCommand(port), timeout);
    }

    /** Waits until nothing in the guest listens on TCP {@code port}. */
    public void waitForClosedPort(int port, Duration timeout) {
        waitUntilFails(listeningCommand(port), timeout);
    }

    /**
     * A command that exits 0 when a TCP socket listens on {@code port}: reads /proc/net/tcp{,6}
     * (state 0A = LISTEN), so it needs no nc/ss in the guest.
     */
    static String listeningCommand(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("TCP port must be 1..65535, got " + port);
        }
        String pattern = String.format("^ *[0-9]+: [0-9A-F]+:%04X [0-9A-F]+:[0-9A-F]+ 0A ", port);
        return "cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | grep -qE " + ShellQuote.quote(pattern);
    }

    /** Copies a host file into the guest (binary-safe, creates or truncates the target). */
    public void copyIn(Path local, String guestPath) {
        try {
            writeFile(guestPath, Files.readAllBytes(local));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + local + " to copy it to " + channel.node(), e);
        }
    }

    /** Copies a guest file to the host (binary-safe). */
    public void copyOut(String guestPath, Path local) {
        byte[] content = readFile(guestPath);
        try {
            Files.write(local, content);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + local + " copied from " + channel.node() + ":" + guestPath, e);
        }
    }

    /** Writes {@code content} to a guest file. */
    public void writeFile(String guestPath, byte[] content) {
        CommandResult r = channel.run("cat > " + ShellQuote.quote(guestPath), content, transferTimeout(content.length));
        if (!r.succeeded()) {
            throw new CommandFailedException("could not write " + guestPath, r);
        }
    }

    /** Reads a guest file. */
    public byte[] readFile(String guestPath) {
        return succeed("cat " + ShellQuote.quote(guestPath), DEFAULT_TIMEOUT).stdout();
    }

    private static Duration transferTimeout(long bytes) {
        // 60 s plus 1 s per 64 KiB: the console moves well over that even under TCG.
        return DEFAULT_TIMEOUT.plusSeconds(bytes / (64 * 1024));
    }

    private CommandResult retry(String what, String command, Duration timeout, boolean wantSuccess) {
        Deadline deadline = timing.deadline(timeout);
        return Wait.forCondition(what).timing(timing).until(deadline, () -> {
            CommandResult r = channel.run(command, nominal(deadline.remaining()));
            if (r.succeeded() == wantSuccess) {
                return r;
            }
            throw Wait.notYet("exit code " + r.exitCode() + ", stdout: " + Evidence.tail(r.stdout()) + ", stderr: "
                    + Evidence.tail(r.stderr()));
        });
    }

    /** Converts a scaled remaining time back to a nominal timeout for the channel (at least 1 s). */
    private Duration nominal(Duration scaled) {
        Duration n = timing.nominal(scaled);
        return n.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : n;
    }
}
