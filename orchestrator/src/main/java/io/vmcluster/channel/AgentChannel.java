package io.vmcluster.channel;

import io.vmcluster.command.CommandResult;
import io.vmcluster.command.CommandTimeoutException;
import io.vmcluster.command.Evidence;
import io.vmcluster.qmp.QmpClientOptions;
import io.vmcluster.qmp.QmpException;
import io.vmcluster.qmp.QmpTimeoutException;
import io.vmcluster.qmp.agent.GuestAgentClient;
import io.vmcluster.qmp.agent.GuestExecResult;
import io.vmcluster.time.Deadline;
import io.vmcluster.time.Timing;
import io.vmcluster.time.Wait;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs commands through the QEMU guest agent ({@code guest-exec} with captured output, then
 * {@code guest-exec-status} polled until the process exited). Works with every NIC cut, like the
 * console, but needs qemu-ga in the guest.
 *
 * <p>The command runs inside the same {@link GuestScript} wrapper as on SSH: qemu-ga reports a
 * process as exited only once its output pipes are closed, so without the wrapper a background
 * child holding stdout would hang the call; with it, output goes to files, the watchdog kills the
 * process group on timeout, and the wrapper's trailer carries exit code and timeout mark. If the
 * host-side bound passes first (guest paused, agent wedged), the client is re-synchronised before
 * the next command. qemu-ga caps captured output (16 MiB in QEMU 7.2); more is an error here.
 */
public final class AgentChannel implements CommandChannel {
    private static final Duration GRACE = Duration.ofSeconds(20);

    private final String node;
    private final Path socket;
    private final Timing timing;
    private final ReentrantLock lock = new ReentrantLock();
    private GuestAgentClient client;
    private boolean needsSync;
    private volatile boolean closed;

    private AgentChannel(String node, Path socket, Timing timing) {
        this.node = Objects.requireNonNull(node, "node");
        this.socket = Objects.requireNonNull(socket, "socket");
        this.timing = Objects.requireNonNull(timing, "timing");
    }

    /**
     * A channel to the agent behind QEMU's chardev socket {@code socket}; nothing is connected
     * until the first command or {@link #awaitAgent}.
     */
    public static AgentChannel create(String node, Path socket, Timing timing) {
        return new AgentChannel(node, socket, timing);
    }

    @Override
    public String kind() {
        return "agent";
    }

    @Override
    public String node() {
        return node;
    }

    /** Waits until qemu-ga in the guest answers (it starts late in boot). */
    public void awaitAgent(Duration nominalTimeout) {
        lock.lock();
        try {
            Deadline deadline = timing.deadline(nominalTimeout);
            client(deadline);
        } finally {
            lock.unlock();
        }
    }

    /**
     * This channel's guest-agent client, connected (waiting up to {@code nominalTimeout} for
     * qemu-ga to answer): for what the agent does beyond commands (time, files, fsfreeze). The
     * guest's agent port takes one connection, so use this rather than connecting a second client.
     */
    public GuestAgentClient client(Duration nominalTimeout) {
        lock.lock();
        try {
            return client(timing.deadline(nominalTimeout));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public CommandResult run(String shellCommand, byte[] stdin, Duration timeout) {
        Objects.requireNonNull(shellCommand, "shellCommand");
        Objects.requireNonNull(stdin, "stdin");
        Duration scaled = timing.scale(timeout);
        lock.lock();
        try {
            long start = System.nanoTime();
            Deadline deadline = Deadline.after(scaled.plus(timing.scale(GRACE)));
            GuestAgentClient c = client(deadline);
            String token = GuestScript.newToken();
            String wrapper = GuestScript.wrapper(token, shellCommand, scaled);
            GuestExecResult r;
            try {
                r = c.exec(List.of("/bin/sh", "-c", wrapper), stdin, deadline.remaining());
            } catch (QmpTimeoutException e) {
                needsSync = true;
                throw new CommandTimeoutException(
                        node + " " + kind(),
                        shellCommand,
                        scaled,
                        null,
                        "the agent did not report the process done in time; the guest's watchdog kills it");
            } catch (QmpException e) {
                needsSync = true;
                throw new ChannelException(node, kind(), shellCommand, "guest-exec failed: " + e.getMessage(), e);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            StatusTrailer t = StatusTrailer.find(r.stdout(), token);
            if (t == null) {
                throw new ChannelException(
                        node,
                        kind(),
                        shellCommand,
                        (r.truncated() ? "output over qemu-ga's capture limit; " : "")
                                + "the guest wrapper ended without its status line (exit " + r.exitCode()
                                + ", signal " + r.signal() + "); stderr: " + Evidence.tail(r.stderr()),
                        null);
            }
            CommandResult result = new CommandResult(
                    node, shellCommand, t.exitCode(), Arrays.copyOf(r.stdout(), t.start()), r.stderr(), took);
            if (t.timedOut()) {
                throw new CommandTimeoutException(
                        node + " " + kind(),
                        shellCommand,
                        scaled,
                        result,
                        "killed in the guest with its process group");
            }
            return result;
        } finally {
            lock.unlock();
        }
    }

    private GuestAgentClient client(Deadline deadline) {
        if (closed) {
            throw new ChannelException(node, kind(), null, "channel closed", null);
        }
        if (client != null && !client.isClosed()) {
            if (needsSync) {
                try {
                    client.sync(deadline.cap(timing.scale(Duration.ofSeconds(10))));
                    needsSync = false;
                } catch (QmpException e) {
                    dropClient();
                }
            }
            if (client != null) {
                return client;
            }
        }
        dropClient();
        client = Wait.forCondition("qemu-ga on " + node + " (" + socket + ") to answer")
                .timing(timing)
                .every(Duration.ofMillis(200), Duration.ofSeconds(2))
                .until(deadline, () -> {
                    try {
                        return GuestAgentClient.connect(
                                socket,
                                QmpClientOptions.DEFAULTS
                                        .withName(node)
                                        .withConnectTimeout(deadline.cap(timing.scale(Duration.ofSeconds(5)))));
                    } catch (IOException e) {
                        throw Wait.notYet(e.toString());
                    }
                });
        needsSync = false;
        return client;
    }

    private void dropClient() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            dropClient();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "AgentChannel[" + node + ", " + socket + "]";
    }
}
