package io.vmcluster.channel;

import io.vmcluster.command.CommandResult;
import io.vmcluster.command.CommandTimeoutException;
import io.vmcluster.time.Deadline;
import io.vmcluster.time.Timing;
import io.vmcluster.time.Wait;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs commands through the root shell on the guest's hvc0 virtconsole, reached through QEMU's
 * unix-socket chardev ({@code -chardev socket,id=..,path=SOCKET,server=on,wait=off -device
 * virtconsole,chardev=..}). Needs nothing in the guest but busybox sh; works with every NIC cut.
 *
 * <p>The protocol (details in docs/channels.md): the host first syncs (turns echo off, clears
 * the prompts, waits for {@code VMC-SYNC <token>}); then per command it types one brace group
 * ({@link ConsoleScript}) that the shell runs itself with as few guest processes as possible: the
 * command as a quoted word when it is plain text, else as 76-character base64 lines, so no input
 * line ever nears the tty's 4095-byte canonical limit and nothing the tty could mangle (control
 * characters) is ever typed. The reply comes back framed and base64 encoded ({@link
 * ConsoleFrameDecoder}); anything else the console prints goes to the noise listener with the
 * node's name.
 *
 * <p>The host keeps the command's time: when it passes, a Ctrl-C makes the wrapper kill the
 * command's process group and reply with the partial output ({@link CommandTimeoutException}).
 * When no reply comes at all (guest paused, shell wedged) the call fails too, and the next command
 * re-syncs first; replies to abandoned commands are recognised by their token and dropped.
 */
public final class ConsoleChannel implements CommandChannel {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleChannel.class);
    private static final Logger CONSOLE_LOG = LoggerFactory.getLogger("io.vmcluster.console");
    private static final Object CLOSED = new Object();
    /** Extra host-side wait on top of the command's own timeout: transfer and shell start. */
    private static final Duration GRACE = Duration.ofSeconds(20);
    /**
     * The least time a command runs before Ctrl-C may interrupt it, whatever its timeout. Ctrl-C
     * typed before the shell has read the whole command flushes what is unread (the tty discards
     * its input) and no reply would come until {@link #GRACE} ran out: a wait's last try, given
     * what is left of its deadline, was seen to cost 20 s that way.
     */
    private static final Duration LEAST_RUN = Duration.ofSeconds(1);
    /** How long one sync probe waits for its answer before sending another. */
    private static final Duration SYNC_PROBE = Duration.ofSeconds(3);
    /** Unanswered sync probes allowed in the tty's input at once. */
    private static final int MAX_OUTSTANDING_SYNCS = 4;
    /** Unanswered probes older than this are taken as eaten, and new ones may be sent. */
    private static final Duration STALE_PROBES = Duration.ofSeconds(12);
    /** Commands whose guest files are removed together. */
    private static final int CLEANUP_BATCH = 16;
    /** Console lines kept as evidence for failures. */
    private static final int NOISE_TAIL = 20;
    /** A reply that is streaming in may take longer than the deadline while chunks keep coming this often. */
    private static final Duration PROGRESS = Duration.ofSeconds(30);

    private final String node;
    private final Path socketPath;
    private final Timing timing;
    private final SocketChannel socket;
    private final Thread reader;
    private final ExecutorService writer;
    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final ReentrantLock commandLock = new ReentrantLock();
    private volatile boolean closed;
    private volatile long lastByteNanos = System.nanoTime();
    private volatile String closeReason = "closed";
    private boolean synced;
    private final Set<String> outstandingSyncs = new HashSet<>();
    private int unanswered;
    private final ArrayDeque<String> noiseTail = new ArrayDeque<>();
    private final List<String> written = new ArrayList<>();
    private volatile String guestDir = ConsoleScript.GUEST_DIR;

    private ConsoleChannel(String node, Path socketPath, SocketChannel socket, Consumer<String> noise, Timing timing) {
        this.node = node;
        this.socketPath = socketPath;
        this.socket = socket;
        this.timing = timing;
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "vmc-console-writer-" + node);
            t.setDaemon(true);
            return t;
        });
        ConsoleFrameDecoder decoder = new ConsoleFrameDecoder(inbox::add, line -> {
            synchronized (noiseTail) {
                if (noiseTail.size() == NOISE_TAIL) {
                    noiseTail.removeFirst();
                }
                noiseTail.addLast(line);
            }
            noise.accept(line);
        });
        this.reader = new Thread(() -> readLoop(decoder), "vmc-console-reader-" + node);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Connects to the console socket of {@code node}, retrying while QEMU has not yet created or
     * opened it.
     *
     * @param node node name for messages and the console log
     * @param socketPath QEMU's chardev socket for hvc0
     * @param consoleLines receives every console line that is not part of a reply (kernel
     *     messages, prompts, stale output)
     * @param timing scales every bound
     * @param connectTimeout nominal bound for the socket to accept
     */
    public static ConsoleChannel connect(
            String node, Path socketPath, Consumer<String> consoleLines, Timing timing, Duration connectTimeout) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(consoleLines, "consoleLines");
        SocketChannel socket = Wait.forCondition("console socket " + socketPath + " of " + node + " to accept")
                .atMost(connectTimeout)
                .timing(timing)
                .until(() -> SocketChannel.open(UnixDomainSocketAddress.of(socketPath)));
        return new ConsoleChannel(node, socketPath, socket, consoleLines, timing);
    }

    /** A console-line listener that logs {@code [node] line} at INFO to {@code io.vmcluster.console}. */
    public static Consumer<String> logTo(String node) {
        return line -> CONSOLE_LOG.info("[{}] {}", node, line);
    }

    @Override
    public String kind() {
        return "console";
    }

    @Override
    public String node() {
        return node;
    }

    /**
     * Where the guest keeps the commands' files ({@code /tmp} unless told otherwise): for a
     * shell on the host in tests, so that its files stay in a directory of the test's own.
     */
    void guestDirectory(String dir) {
        this.guestDir = Objects.requireNonNull(dir, "dir");
    }

    /** The chardev socket this channel is connected to. */
    public Path socketPath() {
        return socketPath;
    }

    /**
     * Waits until the shell on hvc0 answers (it may not have started yet while the guest boots).
     * {@link #run} does this by itself; calling it first makes "booted" and "command failed"
     * separate failures.
     */
    public void awaitShell(Duration nominalTimeout) {
        commandLock.lock();
        try {
            sync(timing.deadline(nominalTimeout), false);
        } finally {
            commandLock.unlock();
        }
    }

    @Override
    public CommandResult run(String shellCommand, byte[] stdin, Duration timeout) {
        Objects.requireNonNull(shellCommand, "shellCommand");
        Objects.requireNonNull(stdin, "stdin");
        Duration least = timing.scale(LEAST_RUN);
        Duration scaled = timing.scale(timeout).compareTo(least) < 0 ? least : timing.scale(timeout);
        commandLock.lock();
        try {
            long start = System.nanoTime();
            Deadline hostDeadline = Deadline.after(scaled.plus(timing.scale(GRACE)));
            if (!synced) {
                sync(hostDeadline, true);
            }
            String token = GuestScript.newToken();
            send(ConsoleScript.command(guestDir, token, shellCommand, stdin, cleanupDue()), hostDeadline, shellCommand);
            written.add(token);
            ConsoleReplyAssembler.Reply reply = awaitReply(
                    token,
                    Deadline.after(scaled),
                    Deadline.after(scaled.plus(timing.scale(GRACE))),
                    shellCommand,
                    scaled);
            CommandResult result = new CommandResult(
                    node,
                    shellCommand,
                    reply.exitCode(),
                    reply.stdout(),
                    reply.stderr(),
                    Duration.ofNanos(System.nanoTime() - start));
            if (reply.timedOut()) {
                throw new CommandTimeoutException(
                        node + " " + kind(),
                        shellCommand,
                        scaled,
                        result,
                        "killed in the guest with its process group");
            }
            return result;
        } finally {
            commandLock.unlock();
        }
    }

    /**
     * The tokens whose guest files are to be removed with this command: every {@link
     * #CLEANUP_BATCH} commands, the batch before (one detached {@code rm} instead of one per command).
     */
    private List<String> cleanupDue() {
        if (written.size() < CLEANUP_BATCH) {
            return List.of();
        }
        List<String> due = List.copyOf(written);
        written.clear();
        return due;
    }

    /**
     * Waits for the reply. When {@code killAt} passes before the reply has started, types Ctrl-C
     * once: the wrapper's trap kills the command's process group and replies with what it had
     * ({@link ConsoleScript}); the reply must then start before {@code deadline}.
     */
    private ConsoleReplyAssembler.Reply awaitReply(
            String token, Deadline killAt, Deadline deadline, String command, Duration timeout) {
        Duration quiet = timing.scale(PROGRESS);
        ConsoleReplyAssembler assembler = new ConsoleReplyAssembler(token);
        boolean interrupted = false;
        while (true) {
            Object item = poll((interrupted ? deadline : killAt).remaining(), command);
            if (item == null && !interrupted) {
                interrupted = true;
                if (!assembler.started()) {
                    // The command's time is up: the wrapper's INT trap kills it and replies.
                    interruptForeground();
                }
                continue;
            }
            if (item == null) {
                // Out of time, unless the reply is streaming in (a large output over a slow tty).
                while (item == null && assembler.started() && System.nanoTime() - lastByteNanos < quiet.toNanos()) {
                    item = poll(quiet, command);
                }
                if (item == null) {
                    synced = false;
                    interruptForeground();
                    throw new CommandTimeoutException(
                            node + " " + kind(),
                            command,
                            timeout,
                            null,
                            "no reply on the console within "
                                    + deadline.elapsed().toMillis()
                                    + " ms; the guest may be paused or the shell wedged; sent Ctrl-C, will re-sync");
                }
            }
            if (!(item instanceof ConsoleFrameDecoder.Frame frame)) {
                continue;
            }
            if (drainStale(frame, token, deadline)) {
                continue;
            }
            try {
                ConsoleReplyAssembler.Ack ack = assembler.accept(frame);
                if (ack != ConsoleReplyAssembler.Ack.NONE) {
                    send(ack.line.getBytes(StandardCharsets.US_ASCII), writeDeadline(), command);
                }
            } catch (ConsoleReplyAssembler.ProtocolException e) {
                synced = false;
                interruptForeground();
                throw new ChannelException(node, kind(), command, "console reply garbled: " + e.getMessage(), e);
            }
            if (assembler.reply() != null) {
                return assembler.reply();
            }
        }
    }

    /**
     * Makes sure the shell reads us: Ctrl-U (and Ctrl-C when recovering from a wedged command),
     * echo off, prompts off, then waits for {@code VMC-SYNC <token>}. Probes are resent slowly and
     * only a few may be outstanding: a busy shell answers them later, and too many would fill
     * the tty's 4 KiB input buffer. An answer to any outstanding probe will do.
     */
    private void sync(Deadline deadline, boolean recover) {
        boolean first = true;
        long lastProbe = 0;
        int probes = 0;
        // A fixed pace: probes typed before the shell starts are flushed when its line editor
        // sets up the tty, so keep offering new ones.
        Duration interval = timing.scale(SYNC_PROBE);
        while (true) {
            if (deadline.expired()) {
                throw new ChannelException(
                        node,
                        kind(),
                        null,
                        "the root shell on hvc0 did not answer " + probes + " sync probe(s) within "
                                + deadline.elapsed().toMillis() + " ms; last console lines:\n    "
                                + String.join("\n    ", recentNoise()),
                        null);
            }
            if (unanswered < MAX_OUTSTANDING_SYNCS
                    && (lastProbe == 0 || System.nanoTime() - lastProbe > interval.toNanos())) {
                String token = GuestScript.newToken();
                outstandingSyncs.add(token);
                unanswered++;
                String line = ((recover && first) ? "\u0003" : "") + "\u0015" + ConsoleScript.SHELL_SETUP
                        + " printf 'VMC-%s %s\\n' SYNC " + token + "\n";
                first = false;
                send(line.getBytes(StandardCharsets.US_ASCII), deadline, null);
                lastProbe = System.nanoTime();
                probes++;
            }
            Object item = poll(deadline.cap(Duration.ofMillis(500)), null);
            if (item instanceof ConsoleFrameDecoder.Frame f
                    && !(f instanceof ConsoleFrameDecoder.Sync)
                    && drainStale(f, null, deadline)) {
                // An abandoned command is still sending its output: let it finish.
                lastProbe = System.nanoTime();
                continue;
            }
            if (lastProbe != 0
                    && System.nanoTime() - lastProbe
                            > timing.scale(STALE_PROBES).toNanos()) {
                // Probes this old may have been eaten (read as acks by an abandoned wrapper): allow
                // new ones, but still accept a late answer to any of them.
                unanswered = 0;
            }
            if (item instanceof ConsoleFrameDecoder.Sync s && outstandingSyncs.contains(s.token())) {
                // Answers to the other probes may still come; they are dropped as stale.
                outstandingSyncs.clear();
                unanswered = 0;
                synced = true;
                return;
            }
        }
    }

    /**
     * A chunk of an abandoned command's reply: its wrapper waits for an answer to each chunk, and
     * would read our next lines as answers. Answering "k" lets it run to its end.
     */
    private boolean drainStale(ConsoleFrameDecoder.Frame frame, String currentToken, Deadline deadline) {
        if (frame.token().equals(currentToken)) {
            return false;
        }
        if (frame instanceof ConsoleFrameDecoder.Chunk || frame instanceof ConsoleFrameDecoder.Garbled) {
            LOG.debug("[{}] draining a chunk of an abandoned reply {}", node, frame.token());
            send("k\n".getBytes(StandardCharsets.US_ASCII), writeDeadline(), null);
        }
        return true;
    }

    /** A short line may outlive the command's deadline (a reply still streaming): its own bound. */
    private Deadline writeDeadline() {
        return timing.deadline(Duration.ofSeconds(30));
    }

    private List<String> recentNoise() {
        synchronized (noiseTail) {
            return new ArrayList<>(noiseTail);
        }
    }

    private Object poll(Duration wait, String command) {
        if (closed && inbox.isEmpty()) {
            throw new ChannelException(node, kind(), command, "console connection is gone: " + closeReason, null);
        }
        try {
            Object item = inbox.poll(Math.max(0, wait.toNanos()), TimeUnit.NANOSECONDS);
            if (item == CLOSED) {
                inbox.add(CLOSED);
                throw new ChannelException(node, kind(), command, "console connection is gone: " + closeReason, null);
            }
            return item;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChannelException(node, kind(), command, "interrupted", e);
        }
    }

    private void send(byte[] bytes, Deadline deadline, String command) {
        Future<?> write = writer.submit(() -> {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                socket.write(buffer);
            }
            return null;
        });
        try {
            write.get(Math.max(1, deadline.remaining().toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            write.cancel(true);
            close("the guest stopped reading console input");
            throw new ChannelException(
                    node,
                    kind(),
                    command,
                    "the guest did not take " + bytes.length + " bytes of console input in time",
                    e);
        } catch (ExecutionException e) {
            throw new ChannelException(node, kind(), command, "writing to the console failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChannelException(node, kind(), command, "interrupted", e);
        }
    }

    private void interruptForeground() {
        try {
            writer.submit(() -> socket.write(ByteBuffer.wrap(new byte[] {3})));
        } catch (RuntimeException e) {
            LOG.debug("[{}] could not send Ctrl-C", node, e);
        }
    }

    private void readLoop(ConsoleFrameDecoder decoder) {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try {
            while (true) {
                buffer.clear();
                int n = socket.read(buffer);
                if (n < 0) {
                    closeReason = "end of file (QEMU exited or closed the chardev)";
                    break;
                }
                lastByteNanos = System.nanoTime();
                decoder.feed(buffer.array(), 0, n);
            }
        } catch (IOException e) {
            if (!closed) {
                closeReason = e.toString();
            }
        } catch (RuntimeException e) {
            closeReason = "console decoder failed: " + e;
            LOG.warn("[{}] console reader stopped", node, e);
        } finally {
            closed = true;
            inbox.add(CLOSED);
        }
    }

    private void close(String reason) {
        closeReason = reason;
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("[{}] closing console socket", node, e);
        }
        writer.shutdownNow();
    }

    @Override
    public void close() {
        close("closed by the host");
        try {
            reader.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "ConsoleChannel[" + node + ", " + socketPath + "]";
    }
}
