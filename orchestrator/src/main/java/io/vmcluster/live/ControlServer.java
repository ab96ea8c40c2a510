package io.vmcluster.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmcluster.time.Deadline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.net.ExtendedSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisor's side of the control socket: a Unix socket in a directory only its owner can
 * enter (mode 0700, the socket 0600), and on every connection the peer's user (SO_PEERCRED) must
 * be the supervisor's own: nothing listens on any network, and only the user who started the
 * cluster (root) reaches it. One thread accepts, one thread serves each connection.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
    /** How long a refused peer may take to send its request and close (see drainBeforeClose). */
    private static final Duration REFUSAL_DRAIN = Duration.ofSeconds(2);

    /** Answers one request; may keep using the channel after returning null (it then owns it). */
    @FunctionalInterface
    public interface Handler {
        /**
         * @return the reply, or null when the handler wrote its own reply and keeps the channel
         */
        ObjectNode handle(JsonNode request, SocketChannel channel) throws Exception;
    }

    private final ServerSocketChannel server;
    private final Path socket;
    private final Handler handler;
    private final Thread acceptor;
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean closed;

    private ControlServer(ServerSocketChannel server, Path socket, Handler handler) {
        this.server = server;
        this.socket = socket;
        this.handler = handler;
        this.acceptor = new Thread(this::acceptLoop, "vmc-control-accept");
        this.acceptor.setDaemon(true);
    }

    /** Creates {@code dir} (0700) and listens on {@code dir/control.sock} (0600). */
    public static ControlServer start(Path dir, Handler handler) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            Path socket = dir.resolve("control.sock");
            Files.deleteIfExists(socket);
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            ControlServer s = new ControlServer(server, socket, handler);
            s.acceptor.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the control socket in " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path socket() {
        return socket;
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                if (!closed) LOG.warn("control socket: accept failed: {}", e.toString());
                return;
            }
            Thread t = new Thread(() -> serve(ch), "vmc-control-" + connections.incrementAndGet());
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(SocketChannel ch) {
        boolean keep = false;
        try {
            String peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED).user().getName();
            String self = System.getProperty("user.name");
            if (!peer.equals(self)) {
                Control.writeLine(
                        ch, Control.error(2, "only " + self + " may control this cluster (you are " + peer + ")"));
                drainBeforeClose(ch);
                return;
            }
            JsonNode request = Control.readLine(ch);
            ObjectNode reply;
            try {
                reply = handler.handle(request, ch);
            } catch (Exception e) {
                LOG.warn("control request {} failed", request, e);
                reply = Control.error(4, "the cluster's supervisor failed: " + e);
            }
            if (reply == null) {
                keep = true;
            } else {
                Control.writeLine(ch, reply);
            }
        } catch (IOException e) {
            LOG.debug("control connection ended: {}", e.toString());
        } finally {
            if (!keep) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }

    /**
     * After a refusal: ends our side and reads what the peer still sends (its request) until it
     * closes, at most {@link #REFUSAL_DRAIN}. Closing at once would make the peer's write of its
     * request fail (EPIPE), and a client such as socat then stops before it shows the refusal.
     */
    private static void drainBeforeClose(SocketChannel ch) throws IOException {
        ch.shutdownOutput();
        ch.configureBlocking(false);
        try (Selector sel = Selector.open()) {
            ch.register(sel, SelectionKey.OP_READ);
            ByteBuffer buf = ByteBuffer.allocate(4096);
            Deadline deadline = Deadline.after(REFUSAL_DRAIN);
            while (!deadline.expired()) {
                if (sel.select(Math.max(1, deadline.remaining().toMillis())) == 0) continue;
                sel.selectedKeys().clear();
                buf.clear();
                if (ch.read(buf) < 0) return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing the control socket: {}", e.toString());
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.debug("removing {}: {}", socket, e.toString());
        }
    }
}
