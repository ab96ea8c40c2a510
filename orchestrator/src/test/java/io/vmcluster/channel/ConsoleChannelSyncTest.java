package io.vmcluster.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.time.Timing;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's first handshake, against a scripted peer on a unix socket standing where QEMU's
 * chardev would be: the peer answers each sync probe the way a tty with echo off does. The real
 * shell is exercised by {@code CommandChannelsIT} and the cluster ITs; this pins the host side.
 */
class ConsoleChannelSyncTest {
    private static final Pattern PROBE = Pattern.compile("SYNC ([0-9a-f]{16})\n");

    @TempDir
    Path dir;

    private ServerSocketChannel server;
    private Path socket;

    @BeforeEach
    void listen() throws IOException {
        socket = dir.resolve("console.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
    }

    @AfterEach
    void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
    }

    @Test
    void syncsWhenTheShellAnswersTheProbe() throws Exception {
        CompletableFuture<Void> peer = CompletableFuture.runAsync(() -> answerProbes(true));
        try (ConsoleChannel channel =
                ConsoleChannel.connect("n1", socket, line -> {}, Timing.withMultiplier(1), Duration.ofSeconds(5))) {
            channel.awaitShell(Duration.ofSeconds(5));
        }
        peer.get(10, TimeUnit.SECONDS);
    }

    @Test
    void reportsAShellThatNeverAnswers() {
        CompletableFuture.runAsync(() -> answerProbes(false));
        try (ConsoleChannel channel =
                ConsoleChannel.connect("n1", socket, line -> {}, Timing.withMultiplier(1), Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> channel.awaitShell(Duration.ofSeconds(1)))
                    .isInstanceOf(ChannelException.class)
                    .hasMessageContaining("did not answer");
        }
    }

    /** Reads probes; with {@code answer}, replies {@code VMC-SYNC <token>} as the guest's printf would. */
    private void answerProbes(boolean answer) {
        try (SocketChannel peer = server.accept()) {
            StringBuilder seen = new StringBuilder();
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            while (peer.read(buffer.clear()) > 0) {
                seen.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII));
                Matcher m = PROBE.matcher(seen);
                if (m.find()) {
                    assertThat(seen.toString()).contains("stty -echo");
                    if (!answer) {
                        seen.setLength(0);
                        continue;
                    }
                    peer.write(
                            ByteBuffer.wrap(("VMC-SYNC " + m.group(1) + "\r\n").getBytes(StandardCharsets.US_ASCII)));
                    return;
                }
            }
        } catch (IOException e) {
            // the channel closed the connection: nothing more to answer
        }
    }
}
