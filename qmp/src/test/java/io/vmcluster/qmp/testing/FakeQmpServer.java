package io.vmcluster.qmp.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmcluster.qmp.transport.JsonFrameDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An in-process QMP peer that a test scripts byte by byte, to provoke what real QEMU will not do
 * on demand. Plain JDK unix sockets; one connection. Close it to stop everything.
 */
public final class FakeQmpServer implements AutoCloseable {
    public static final String GREETING =
            "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": "
                    + "\"Debian 1:7.2+dfsg-7+deb12u7\"}, \"capabilities\": [\"oob\"]}}\r\n";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final TempDir dir = new TempDir("vmc-fake-");
    private final Path socket = dir.resolve("qmp.sock");
    private final ServerSocketChannel server;
    private final CompletableFuture<SocketChannel> accepted = new CompletableFuture<>();
    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final Thread acceptor;

    public FakeQmpServer() throws IOException {
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        acceptor = new Thread(this::acceptAndRead, "fake-qmp-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public Path socket() {
        return socket;
    }

    private void acceptAndRead() {
        try {
            SocketChannel channel = server.accept();
            accepted.complete(channel);
            JsonFrameDecoder decoder = new JsonFrameDecoder(1 << 20);
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer.clear()) >= 0) {
                decoder.feed(buffer.array(), 0, buffer.position(), (bytes, offset, length) -> {
                    try {
                        received.add(MAPPER.readTree(bytes, offset, length));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        } catch (IOException | UncheckedIOException e) {
            accepted.completeExceptionally(e);
        }
    }

    /** Writes the greeting and answers qmp_capabilities, as QEMU does on connect. */
    public FakeQmpServer greetAndNegotiate() {
        send(GREETING);
        JsonNode capabilities = nextCommand();
        if (!capabilities.path("execute").asText().equals("qmp_capabilities")) {
            throw new AssertionError("expected qmp_capabilities first, got " + capabilities);
        }
        if (capabilities.has("arguments") && capabilities.get("arguments").has("enable")) {
            throw new AssertionError("the client must not enable capabilities: " + capabilities);
        }
        reply(capabilities, "{}");
        return this;
    }

    /** The next command the client sent, waiting up to 5 s (scaled). */
    public JsonNode nextCommand() {
        try {
            JsonNode command =
                    received.poll(TestTiming.scaled(Duration.ofSeconds(5)).toMillis(), TimeUnit.MILLISECONDS);
            if (command == null) {
                throw new AssertionError("the client sent no command within 5 s");
            }
            return command;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Writes {@code text} in one write. */
    public void send(String text) {
        sendBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes} in one write. */
    public void sendBytes(byte[] bytes) {
        try {
            SocketChannel channel = channel();
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code text} one byte per write, pausing {@code pause} between writes to force split reads. */
    public void sendByteByByte(String text, Duration pause) throws InterruptedException {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            sendBytes(new byte[] {b});
            TimeUnit.NANOSECONDS.sleep(pause.toNanos()); // pacing the writer, not synchronisation
        }
    }

    /** The reply text for {@code command} with {@code returnJson} as its value. */
    public static String replyText(JsonNode command, String returnJson) {
        return "{\"return\": " + returnJson + ", \"id\": " + command.get("id") + "}\r\n";
    }

    /** Writes the reply for {@code command}. */
    public void reply(JsonNode command, String returnJson) {
        send(replyText(command, returnJson));
    }

    /** An event line. */
    public static String eventText(String name, String dataJson) {
        return "{\"timestamp\": {\"seconds\": 1764172800, \"microseconds\": 5}, \"event\": \"" + name + "\""
                + (dataJson == null ? "" : ", \"data\": " + dataJson) + "}\r\n";
    }

    /** Closes the connection to the client (as QEMU exiting would). */
    public void closeConnection() {
        try {
            channel().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SocketChannel channel() {
        try {
            return accepted.get(TestTiming.scaled(Duration.ofSeconds(5)).toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("no client connected to the fake QMP server", e);
        }
    }

    @Override
    public void close() {
        try {
            if (accepted.isDone() && !accepted.isCompletedExceptionally()) {
                accepted.join().close();
            }
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            dir.close();
        }
    }
}
