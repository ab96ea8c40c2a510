package io.vmcluster.channel;

import io.vmcluster.command.CommandResult;
import io.vmcluster.command.CommandTimeoutException;
import io.vmcluster.command.ShellQuote;
import java.time.Duration;

/**
 * One way into a guest: runs a POSIX shell command and returns its exit code, stdout and stderr,
 * separately and binary-safe.
 *
 * <p>Every implementation gives the same guarantees (see docs/channels.md):
 *
 * <ul>
 *   <li>Commands on one channel run one at a time, in call order; different channels (different
 *       nodes) run in parallel.
 *   <li>The timeout is nominal and scaled by {@link io.vmcluster.time.Timing}. A command still
 *       running when it passes is killed inside the guest together with its whole process group,
 *       {@link CommandTimeoutException} is thrown with the partial output, and the channel stays
 *       usable for the next command.
 *   <li>A command that leaves a background process behind ({@code sleep 100 &}), even one that
 *       keeps stdout open, returns as soon as the command itself exits; the background process
 *       keeps running.
 *   <li>The command runs as {@code sh} script text, so pipes, redirections, {@code ;}, {@code &&}
 *       and several lines are fine. Build arguments with {@link ShellQuote}, never by pasting.
 * </ul>
 *
 * <p>Failures of the channel itself (VM gone, socket closed, garbled reply) are {@link
 * ChannelException}s. A non-zero exit code is not an error here; see {@link Shell#succeed}.
 */
public interface CommandChannel extends AutoCloseable {

    /** {@code "console"}, {@code "ssh"} or {@code "agent"}. */
    String kind();

    /** The node this channel reaches, used in messages and logs. */
    String node();

    /**
     * Runs {@code shellCommand} with {@code stdin} as its standard input.
     *
     * @param shellCommand sh script text
     * @param stdin bytes for the command's stdin (empty: immediate end of file)
     * @param timeout nominal bound (scaled by the timing multiplier)
     * @throws CommandTimeoutException the command ran out of time (it was killed)
     * @throws ChannelException the channel could not deliver the command or its result
     */
    CommandResult run(String shellCommand, byte[] stdin, Duration timeout);

    /** Runs {@code shellCommand} with empty stdin. */
    default CommandResult run(String shellCommand, Duration timeout) {
        return run(shellCommand, new byte[0], timeout);
    }

    /** Closes the connection; commands still running in the guest are left to their fate. */
    @Override
    void close();
}
