package io.vmcluster.channel;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SocketFactory;
import io.vmcluster.command.CommandResult;
import io.vmcluster.command.CommandTimeoutException;
import io.vmcluster.command.Evidence;
import io.vmcluster.command.ShellQuote;
import io.vmcluster.time.Deadline;
import io.vmcluster.time.Timing;
import io.vmcluster.time.Wait;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs commands over SSH (jsch) as root, authenticated with the run's {@link SshKeys}.
 *
 * <p>Host keys are not checked: every guest is a throwaway VM booted from our own image a moment
 * ago, reached only on a private network inside the run's namespace (or host loopback); a fresh
 * host key each boot is expected, and there is nothing to remember it against. The key that
 * matters, the client key, is fresh per run and never leaves it.
 *
 * <p>The TCP connection goes through a jsch {@link SocketFactory}: the network package's
 * namespaced factory reaches guests inside the cluster's network namespace; {@link #plainSockets}
 * is for addresses the host reaches directly. The session is opened lazily, kept, and re-opened
 * once when it is found broken. A command runs inside the same {@link GuestScript} wrapper as on
 * the console (own process group, watchdog, output to files), so a background process cannot
 * hold the channel open and a timeout kills the whole process group in the guest; the exit code
 * and the timeout mark come back in a trailer line that is stripped from stdout.
 */
public final class SshChannel implements CommandChannel {
    private static final Duration GRACE = Duration.ofSeconds(20);
    private static final Logger LOG = LoggerFactory.getLogger(SshChannel.class);
    /** Writes stdin off the calling thread, so a guest that stops reading cannot block past the deadline. */
    private static final ExecutorService STDIN_WRITERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "vmc-ssh-stdin");
        t.setDaemon(true);
        return t;
    });

    private final String node;
    private final String host;
    private final int port;
    private final String user;
    private final SshKeys keys;
    private final SocketFactory sockets;
    private final Timing timing;
    private final ReentrantLock lock = new ReentrantLock();
    private Session session;
    private volatile boolean closed;

    private SshChannel(
            String node, String host, int port, String user, SshKeys keys, SocketFactory sockets, Timing timing) {
        this.node = Objects.requireNonNull(node, "node");
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.user = Objects.requireNonNull(user, "user");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.sockets = Objects.requireNonNull(sockets, "sockets");
        this.timing = Objects.requireNonNull(timing, "timing");
    }

    /**
     * A channel to {@code user@host:port}; nothing is connected until the first command or
     * {@link #awaitConnected}.
     *
     * @param sockets how to reach the guest: the cluster's namespaced factory, or {@link
     *     #plainSockets()}
     */
    public static SshChannel create(
            String node, String host, int port, String user, SshKeys keys, SocketFactory sockets, Timing timing) {
        return new SshChannel(node, host, port, user, keys, sockets, timing);
    }

    /** Ordinary sockets from the JVM's own network namespace. */
    public static SocketFactory plainSockets() {
        return new SocketFactory() {
            @Override
            public Socket createSocket(String h, int p) throws IOException {
                return new Socket(h, p);
            }

            @Override
            public InputStream getInputStream(Socket socket) throws IOException {
                return socket.getInputStream();
            }

            @Override
            public OutputStream getOutputStream(Socket socket) throws IOException {
                return socket.getOutputStream();
            }
        };
    }

    @Override
    public String kind() {
        return "ssh";
    }

    @Override
    public String node() {
        return node;
    }

    /** Retries connecting until sshd in the guest accepts the key (it starts late in boot). */
    public void awaitConnected(Duration nominalTimeout) {
        lock.lock();
        try {
            Wait.forCondition("sshd on " + node + " (" + host + ":" + port + ") to accept the run's key")
                    .timing(timing)
                    .every(Duration.ofMillis(200), Duration.ofSeconds(2))
                    .atMost(nominalTimeout)
                    .until(() -> {
                        session(Deadline.after(timing.scale(Duration.ofSeconds(15))));
                        return Boolean.TRUE;
                    });
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
            String token = GuestScript.newToken();
            String wrapper = GuestScript.wrapper(token, shellCommand, scaled);
            Exec exec = open(wrapper, stdin, deadline, shellCommand);
            try {
                boolean done =
                        exec.finished.await(Math.max(1, deadline.remaining().toNanos()), TimeUnit.NANOSECONDS);
                if (!done) {
                    dropSession();
                    throw new CommandTimeoutException(
                            node + " " + kind(),
                            shellCommand,
                            scaled,
                            new CommandResult(
                                    node,
                                    shellCommand,
                                    -1,
                                    exec.stdout.toByteArray(),
                                    exec.stderr.toByteArray(),
                                    Duration.ofNanos(System.nanoTime() - start)),
                            "no end of output over SSH in time; the session was dropped, the guest's watchdog kills"
                                    + " the command");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChannelException(node, kind(), shellCommand, "interrupted", e);
            } finally {
                awaitServerClose(exec.channel, deadline);
                exec.channel.disconnect();
            }
            return result(token, shellCommand, exec, scaled, Duration.ofNanos(System.nanoTime() - start));
        } finally {
            lock.unlock();
        }
    }

    private CommandResult result(String token, String command, Exec exec, Duration timeout, Duration took) {
        byte[] out = exec.stdout.toByteArray();
        byte[] err = exec.stderr.toByteArray();
        StatusTrailer t = StatusTrailer.find(out, token);
        if (t == null) {
            throw new ChannelException(
                    node,
                    kind(),
                    command,
                    "the guest wrapper ended without its status line (exit status " + exec.channel.getExitStatus()
                            + "); stdout: " + Evidence.tail(out) + "; stderr: " + Evidence.tail(err),
                    null);
        }
        CommandResult r = new CommandResult(node, command, t.exitCode(), Arrays.copyOf(out, t.start()), err, took);
        if (t.timedOut()) {
            throw new CommandTimeoutException(
                    node + " " + kind(), command, timeout, r, "killed in the guest with its process group");
        }
        return r;
    }

    private record Exec(
            ChannelExec channel, ByteArrayOutputStream stdout, ByteArrayOutputStream stderr, CountDownLatch finished) {}

    private Exec open(String wrapper, byte[] stdin, Deadline deadline, String command) {
        Exception last = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                Session s = session(deadline);
                ChannelExec ch = (ChannelExec) s.openChannel("exec");
                ch.setCommand("sh -c " + ShellQuote.quote(wrapper));
                CountDownLatch finished = new CountDownLatch(1);
                ByteArrayOutputStream out = new ByteArrayOutputStream() {
                    @Override
                    public void close() {
                        finished.countDown();
                    }
                };
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                ch.setOutputStream(out, false);
                ch.setErrStream(err, true);
                // No input stream before connect: jsch would send EOF at once, and dropbear, seeing
                // EOF before the exec request is done, closes the channel without running it.
                OutputStream in = ch.getOutputStream();
                ch.connect(timeoutMillis(deadline));
                STDIN_WRITERS.execute(() -> feed(in, stdin));
                return new Exec(ch, out, err, finished);
            } catch (JSchException | IOException e) {
                last = e;
                dropSession(); // a broken session: reconnect once
            }
        }
        throw new ChannelException(
                node, kind(), command, "cannot run over SSH to " + host + ":" + port + ": " + last.getMessage(), last);
    }

    /**
     * Lets the server close the channel first (exit-status comes after EOF); disconnecting right
     * at EOF made dropbear fail the next channel of the session now and then.
     */
    private void awaitServerClose(ChannelExec ch, Deadline deadline) {
        Deadline bound = Deadline.after(deadline.cap(timing.scale(Duration.ofSeconds(5))));
        try {
            Wait.forCondition("the SSH server to close the exec channel on " + node)
                    .every(Duration.ofMillis(1), Duration.ofMillis(10))
                    .until(bound, () -> ch.isClosed() ? Boolean.TRUE : null);
        } catch (RuntimeException e) {
            LOG.debug("[{}] exec channel not closed by the server: {}", node, e.getMessage());
        }
    }

    /** Writes stdin and sends EOF; a failure shows up as a broken channel in {@link #run}. */
    private void feed(OutputStream in, byte[] stdin) {
        try (in) {
            in.write(stdin);
        } catch (IOException e) {
            LOG.debug("[{}] writing stdin over SSH failed", node, e);
        }
    }

    private Session session(Deadline deadline) throws JSchException {
        if (closed) {
            throw new JSchException("channel closed");
        }
        if (session != null && session.isConnected()) {
            return session;
        }
        dropSession();
        JSch jsch = new JSch();
        keys.addTo(jsch);
        Session s = jsch.getSession(user, host, port);
        s.setSocketFactory(sockets);
        // Throwaway guests with a new host key each boot: see the class comment.
        s.setConfig("StrictHostKeyChecking", "no");
        s.setConfig("PreferredAuthentications", "publickey");
        // Key exchange under TCG on a loaded host can take many seconds: the whole deadline for it,
        // then keep-alives (which also set the socket read timeout) to notice a dead peer.
        s.connect(timeoutMillis(deadline));
        s.setServerAliveInterval((int) timing.scale(Duration.ofSeconds(10)).toMillis());
        s.setServerAliveCountMax(3);
        session = s;
        return s;
    }

    private static int timeoutMillis(Deadline deadline) {
        return (int)
                Math.max(1, Math.min(Integer.MAX_VALUE, deadline.remaining().toMillis()));
    }

    private void dropSession() {
        if (session != null) {
            session.disconnect();
            session = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            dropSession();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "SshChannel[" + node + ", " + user + "@" + host + ":" + port + "]";
    }
}
