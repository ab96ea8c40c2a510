package io.vmcluster.qmp.transport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A unix socket carrying JSON objects both ways, with one daemon reader thread that decodes
 * incoming objects and hands them to a {@link Handler}. Shared by the QMP and guest-agent clients;
 * internal to the qmp module.
 */
public final class JsonConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JsonConnection.class);

    /** Called on the reader thread; must not block. */
    public interface Handler {
        /** One decoded JSON object. */
        void onMessage(JsonNode message);

        /** The guest agent's {@code 0xFF} delimiter was seen. */
        default void onDelimiter() {}

        /**
         * The stream ended: {@code cause} is null for a clean EOF (or a local close), else what
         * broke it (read error, oversized frame). Called exactly once, last.
         */
        void onClosed(IOException cause);
    }

    private final UnixSocket socket;
    private final ObjectMapper mapper;
    private final JsonFrameDecoder decoder;
    private final Handler handler;
    private final Thread reader;
    private volatile boolean closing;

    private JsonConnection(UnixSocket socket, ObjectMapper mapper, int maxFrameBytes, Handler handler, String name) {
        this.socket = socket;
        this.mapper = mapper;
        this.decoder = new JsonFrameDecoder(maxFrameBytes);
        this.handler = handler;
        this.reader = new Thread(this::readLoop, name + "-reader");
        this.reader.setDaemon(true);
    }

    /**
     * Connects to {@code path}, retrying while the socket file does not exist yet or the listener
     * refuses (QEMU can refuse once right after the file appears), until {@code timeout} passes.
     */
    public static JsonConnection connect(
            Path path, Duration timeout, ObjectMapper mapper, int maxFrameBytes, Handler handler, String name)
            throws IOException {
        UnixSocket socket = connectWithRetry(path, timeout);
        JsonConnection connection = new JsonConnection(socket, mapper, maxFrameBytes, handler, name);
        connection.reader.start();
        return connection;
    }

    static UnixSocket connectWithRetry(Path path, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMillis = 1;
        int attempts = 0;
        while (true) {
            attempts++;
            try {
                return UnixSocket.connect(path);
            } catch (NoSuchFileException | ConnectException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new ConnectException("could not connect to " + path + " within " + timeout + " (" + attempts
                            + " attempts); last error: " + e.getMessage());
                }
            }
            try {
                TimeUnit.MILLISECONDS.sleep(pauseMillis); // back-off between bounded connect attempts
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while connecting to " + path, e);
            }
            pauseMillis = Math.min(pauseMillis * 2, 50);
        }
    }

    /** The socket file. */
    public Path path() {
        return socket.path();
    }

    /** Serialises {@code message} and writes it (plus a newline). */
    public void send(JsonNode message) throws IOException {
        socket.write(encode(message));
    }

    /** Writes raw bytes (the guest agent's 0xFF, or a test's garbage). */
    public void sendRaw(byte[] bytes) throws IOException {
        socket.write(bytes);
    }

    /** Writes {@code message} with {@code fileDescriptor} attached by SCM_RIGHTS to its bytes. */
    public void sendWithFileDescriptor(JsonNode message, int fileDescriptor) throws IOException {
        socket.writeWithFileDescriptor(encode(message), fileDescriptor);
    }

    private byte[] encode(JsonNode message) throws JsonProcessingException {
        byte[] json = mapper.writeValueAsBytes(message);
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        return line;
    }

    /** Whether the reader thread has stopped. */
    public boolean isReaderAlive() {
        return reader.isAlive();
    }

    /** Shuts the socket down so the reader sees EOF; does not wait. */
    public void shutdownSocket() {
        closing = true;
        socket.shutdown();
    }

    /** Stops the reader (it reports {@code onClosed(null)}) and releases the socket. Idempotent. */
    @Override
    public void close() {
        closing = true;
        socket.shutdown();
        if (Thread.currentThread() != reader) {
            try {
                reader.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        socket.close();
    }

    private void readLoop() {
        byte[] buffer = new byte[64 * 1024];
        IOException cause = null;
        JsonFrameDecoder.Sink sink = new JsonFrameDecoder.Sink() {
            @Override
            public void frame(byte[] bytes, int offset, int length) {
                JsonNode message;
                try {
                    message = mapper.readTree(bytes, offset, length);
                } catch (IOException e) {
                    LOG.warn(
                            "{}: dropped a frame that is not valid JSON ({} bytes): {}",
                            path(),
                            length,
                            e.getMessage());
                    return;
                }
                handler.onMessage(message);
            }

            @Override
            public void delimiter(int droppedBytes) {
                if (droppedBytes > 0) {
                    LOG.debug("{}: 0xFF delimiter dropped {} bytes of a half-read object", path(), droppedBytes);
                }
                handler.onDelimiter();
            }

            @Override
            public void garbage(int skippedBytes) {
                LOG.warn("{}: skipped {} bytes of garbage outside any JSON object", path(), skippedBytes);
            }
        };
        try {
            while (true) {
                int n = socket.read(buffer, 0, buffer.length);
                if (n < 0) {
                    break;
                }
                decoder.feed(buffer, 0, n, sink);
            }
        } catch (IOException e) {
            cause = closing ? null : e;
        } catch (RuntimeException e) {
            LOG.error("{}: reader failed", path(), e);
            cause = new IOException("reader of " + path() + " failed: " + e, e);
        } finally {
            socket.shutdown();
            handler.onClosed(cause);
        }
    }
}
