package io.vmcluster.qmp.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmcluster.qmp.QmpClientOptions;
import io.vmcluster.qmp.QmpCommandException;
import io.vmcluster.qmp.QmpConnectionClosedException;
import io.vmcluster.qmp.QmpError;
import io.vmcluster.qmp.QmpException;
import io.vmcluster.qmp.QmpTimeoutException;
import io.vmcluster.qmp.transport.JsonConnection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client for the QEMU guest agent ({@code qemu-ga}) over the host end of its virtio-serial
 * chardev (a unix socket).
 *
 * <p>The agent sends no greeting and keeps no session: a previous client may have left a
 * half-sent request in its parser or an unread reply in the stream. So on connect, and after any
 * timeout, the client resynchronises: it sends a raw {@code 0xFF} (the agent drops its parser
 * state), then {@code guest-sync-delimited} with a random id; the agent prefixes the reply with
 * {@code 0xFF}; everything before that byte is discarded, and the reply must carry the id.
 *
 * <p>Calls are synchronous and serialised (the agent answers one request at a time); all
 * methods are thread-safe. Failures are the qmp module's exceptions: {@link QmpCommandException}
 * for an error reply, {@link QmpTimeoutException}, {@link QmpConnectionClosedException}.
 */
public final class GuestAgentClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GuestAgentClient.class);
    private static final byte[] RESYNC = {(byte) 0xFF};
    private static final int READ_CHUNK = 1 << 20;

    private final ObjectMapper mapper = new ObjectMapper();
    private final QmpClientOptions options;
    private final BlockingQueue<Inbound> inbound = new LinkedBlockingQueue<>();
    private final ReentrantLock callLock = new ReentrantLock();
    private final AtomicLong ids = new AtomicLong();
    private final SecureRandom random = new SecureRandom();
    private final Path socket;
    private volatile JsonConnection connection;
    private volatile QmpException closeReason;
    private boolean needsSync = true;

    /** What the reader hands over: a message, the 0xFF delimiter, or the end of the stream. */
    private record Inbound(JsonNode message, boolean delimiter, IOException closedBy, boolean closed) {}

    private GuestAgentClient(Path socket, QmpClientOptions options) {
        this.socket = socket;
        this.options = options;
    }

    /**
     * Connects to the agent's socket (retrying while it is missing or refuses) and resynchronises,
     * within {@code options.connectTimeout()}.
     */
    public static GuestAgentClient connect(Path socket, QmpClientOptions options) throws IOException {
        GuestAgentClient client = new GuestAgentClient(socket, options);
        try {
            client.connection = JsonConnection.connect(
                    socket,
                    options.connectTimeout(),
                    client.mapper,
                    options.maxFrameBytes(),
                    client.new Reader(),
                    options.name() + "-qga");
            client.sync(options.connectTimeout());
            return client;
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** The agent's socket. */
    public Path socket() {
        return socket;
    }

    /**
     * Resynchronises now: 0xFF, {@code guest-sync-delimited {id: random}}, discard everything up to
     * the agent's 0xFF, check the id.
     */
    public void sync(Duration timeout) {
        callLock.lock();
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            inbound.clear();
            long token = random.nextInt(Integer.MAX_VALUE);
            ObjectNode request = mapper.createObjectNode().put("execute", "guest-sync-delimited");
            request.putObject("arguments").put("id", token);
            try {
                connection().sendRaw(RESYNC);
                connection().send(request);
            } catch (IOException e) {
                throw fail("guest-sync-delimited", e);
            }
            boolean delimited = false;
            while (true) {
                Inbound next = poll(deadline, "guest-sync-delimited (id " + token + ")", timeout);
                if (next.delimiter()) {
                    delimited = true;
                } else if (!delimited) {
                    LOG.debug("{}: discarding before the 0xFF delimiter: {}", socket, next.message());
                } else if (next.message().path("return").asLong(-1) == token) {
                    needsSync = false;
                    return;
                } else {
                    LOG.debug("{}: discarding a stale message after the delimiter: {}", socket, next.message());
                }
            }
        } finally {
            callLock.unlock();
        }
    }

    /** Runs {@code command} with the default timeout; returns its {@code return} value. */
    public JsonNode execute(String command, ObjectNode arguments) {
        return execute(command, arguments, options.defaultTimeout());
    }

    /**
     * Runs {@code command} (with {@code arguments}, may be null) and waits up to {@code timeout}
     * for its reply. After a timeout the next call resynchronises first.
     */
    public JsonNode execute(String command, ObjectNode arguments, Duration timeout) {
        Objects.requireNonNull(command, "command");
        callLock.lock();
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            if (needsSync) {
                sync(timeout);
            }
            long id = ids.incrementAndGet();
            send(command, arguments, id);
            while (true) {
                Inbound next;
                try {
                    next = poll(deadline, "'" + command + "' (id " + id + ")", timeout);
                } catch (QmpTimeoutException e) {
                    needsSync = true;
                    throw e;
                }
                if (next.delimiter()) {
                    continue;
                }
                JsonNode message = next.message();
                if (message.path("id").asLong(-1) != id) {
                    LOG.debug("{}: discarding a reply that is not for id {}: {}", socket, id, message);
                    continue;
                }
                JsonNode error = message.get("error");
                if (error != null) {
                    throw new QmpCommandException(new QmpError(
                            error.path("class").asText("GenericError"),
                            error.path("desc").asText(""),
                            command,
                            arguments));
                }
                return message.get("return");
            }
        } finally {
            callLock.unlock();
        }
    }

    private void send(String command, ObjectNode arguments, long id) {
        ObjectNode request = mapper.createObjectNode().put("execute", command);
        if (arguments != null) {
            request.set("arguments", arguments);
        }
        request.put("id", id);
        try {
            connection().send(request);
        } catch (IOException e) {
            throw fail(command, e);
        }
    }

    private Inbound poll(long deadlineNanos, String what, Duration timeout) {
        try {
            long left = deadlineNanos - System.nanoTime();
            // a deadline already passed is a timeout, even if a reply happens to be queued already
            Inbound next = left > 0 ? inbound.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                throw new QmpTimeoutException(
                        "no reply from the guest agent at " + socket + " to " + what + " within " + timeout);
            }
            if (next.closed()) {
                inbound.add(next); // stays closed for later calls
                throw new QmpConnectionClosedException(
                        "no reply to " + what + ": " + closeReason.getMessage(), closeReason);
            }
            return next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException("interrupted waiting for " + what, e);
        }
    }

    private QmpException fail(String command, IOException e) {
        return new QmpConnectionClosedException(
                "could not send '" + command + "' to the guest agent at " + socket + ": " + e.getMessage(), e);
    }

    private JsonConnection connection() {
        if (closeReason != null) {
            throw new QmpConnectionClosedException(
                    "guest agent connection closed: " + closeReason.getMessage(), closeReason);
        }
        return connection;
    }

    private ObjectNode args() {
        return mapper.createObjectNode();
    }

    /** {@code guest-ping}: fails unless the agent answers. */
    public void ping(Duration timeout) {
        execute("guest-ping", null, timeout);
    }

    /**
     * Runs {@code argv} in the guest ({@code guest-exec} with captured output, {@code stdin} fed if
     * not null) and polls {@code guest-exec-status} until it exited or {@code timeout} passed.
     */
    public GuestExecResult exec(List<String> argv, byte[] stdin, Duration timeout) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must name a program");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        ObjectNode a = args().put("path", argv.get(0)).put("capture-output", true);
        ArrayNode rest = a.putArray("arg");
        argv.subList(1, argv.size()).forEach(rest::add);
        if (stdin != null) {
            a.put("input-data", Base64.getEncoder().encodeToString(stdin));
        }
        long pid = execute("guest-exec", a, timeout).path("pid").asLong();
        long pauseMillis = 5;
        while (true) {
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            if (left.isNegative() || left.isZero()) {
                throw new QmpTimeoutException("guest process " + pid + " " + argv + " did not exit within " + timeout);
            }
            JsonNode status = execute("guest-exec-status", args().put("pid", pid), left);
            if (status.path("exited").asBoolean()) {
                return new GuestExecResult(
                        pid,
                        status.has("exitcode") ? status.get("exitcode").asInt() : -1,
                        status.path("signal").asInt(0),
                        decode(status.get("out-data")),
                        decode(status.get("err-data")),
                        status.path("out-truncated").asBoolean()
                                || status.path("err-truncated").asBoolean());
            }
            try {
                TimeUnit.MILLISECONDS.sleep(Math.min(pauseMillis, Math.max(1, left.toMillis()))); // bounded poll
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new QmpException("interrupted waiting for guest process " + pid, e);
            }
            pauseMillis = Math.min(pauseMillis * 2, 200);
        }
    }

    private static byte[] decode(JsonNode base64) {
        return base64 == null || base64.isNull()
                ? new byte[0]
                : Base64.getDecoder().decode(base64.asText());
    }

    /** {@code guest-file-open}; {@code mode} as fopen: "r", "w", "a", "r+"… Returns the handle. */
    public long fileOpen(String path, String mode) {
        return execute("guest-file-open", args().put("path", path).put("mode", mode))
                .asLong();
    }

    /** {@code guest-file-read} of up to {@code count} bytes (the agent caps one read at 48 MB). */
    public GuestFileRead fileRead(long handle, int count) {
        JsonNode r = execute("guest-file-read", args().put("handle", handle).put("count", count));
        return new GuestFileRead(decode(r.get("buf-b64")), r.path("eof").asBoolean());
    }

    /** {@code guest-file-write}; returns the number of bytes written. */
    public int fileWrite(long handle, byte[] data) {
        ObjectNode a =
                args().put("handle", handle).put("buf-b64", Base64.getEncoder().encodeToString(data));
        return execute("guest-file-write", a).path("count").asInt();
    }

    /** {@code guest-file-close}. */
    public void fileClose(long handle) {
        execute("guest-file-close", args().put("handle", handle));
    }

    /** Writes {@code data} to {@code path} in the guest (truncating), through open/write/close. */
    public void writeFile(String path, byte[] data) {
        long handle = fileOpen(path, "w");
        try {
            int written = 0;
            while (written < data.length) {
                int chunk = Math.min(READ_CHUNK, data.length - written);
                byte[] part = java.util.Arrays.copyOfRange(data, written, written + chunk);
                int n = fileWrite(handle, part);
                if (n <= 0) {
                    throw new QmpException("guest-file-write to " + path + " wrote nothing at offset " + written);
                }
                written += n;
            }
        } finally {
            fileClose(handle);
        }
    }

    /** Reads the whole of {@code path} in the guest, through open/read…/close. */
    public byte[] readFile(String path) {
        long handle = fileOpen(path, "r");
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                GuestFileRead read = fileRead(handle, READ_CHUNK);
                out.writeBytes(read.data());
                if (read.eof() || read.data().length == 0) {
                    return out.toByteArray();
                }
            }
        } finally {
            fileClose(handle);
        }
    }

    /** {@code guest-get-time}: the guest's clock. */
    public Instant getTime() {
        long nanos = execute("guest-get-time", null).asLong();
        return Instant.ofEpochSecond(0, nanos);
    }

    /** {@code guest-set-time} to {@code time} (e.g. the host's clock after a long pause). */
    public void setTime(Instant time) {
        long nanos = Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000_000L), time.getNano());
        execute("guest-set-time", args().put("time", nanos));
    }

    /**
     * {@code guest-shutdown} with {@code mode} "powerdown", "halt" or "reboot". The agent sends no
     * reply on success, so this only sends it; watch QMP's SHUTDOWN event or the process for the
     * outcome. The next call resynchronises first.
     */
    public void shutdown(String mode) {
        callLock.lock();
        try {
            if (needsSync) {
                sync(options.defaultTimeout());
            }
            send("guest-shutdown", args().put("mode", mode), ids.incrementAndGet());
            needsSync = true;
        } finally {
            callLock.unlock();
        }
    }

    /** Test hook: writes raw bytes (a half request, garbage) into the agent's input. */
    void sendRawForTest(byte[] bytes) throws IOException {
        connection().sendRaw(bytes);
    }

    /** Test hook: forces a resynchronisation before the next call, as a timeout would. */
    void requireSyncForTest() {
        callLock.lock();
        try {
            needsSync = true;
        } finally {
            callLock.unlock();
        }
    }

    /** Whether the connection is gone. */
    public boolean isClosed() {
        return closeReason != null;
    }

    @Override
    public void close() {
        if (closeReason == null) {
            closeReason = new QmpException("the guest agent client for " + socket + " was closed");
        }
        JsonConnection conn = connection;
        if (conn != null) {
            conn.close();
        }
    }

    private final class Reader implements JsonConnection.Handler {
        @Override
        public void onMessage(JsonNode message) {
            inbound.add(new Inbound(message, false, null, false));
        }

        @Override
        public void onDelimiter() {
            inbound.add(new Inbound(null, true, null, false));
        }

        @Override
        public void onClosed(IOException cause) {
            if (closeReason == null) {
                closeReason = cause == null
                        ? new QmpException("the guest agent closed its socket " + socket)
                        : new QmpException(
                                "the guest agent connection " + socket + " broke: " + cause.getMessage(), cause);
            }
            inbound.add(new Inbound(null, false, cause, true));
        }
    }
}
