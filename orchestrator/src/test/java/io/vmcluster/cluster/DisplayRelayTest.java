package io.vmcluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay from a loopback port to QEMU's VNC unix socket, against a stand-in for QEMU's server. */
class DisplayRelayTest {
    @TempDir
    Path dir;

    @Test
    void aViewerOnLoopbackTalksToTheUnixSocketBothWays() throws Exception {
        Path sock = dir.resolve("vnc.sock");
        try (ServerSocketChannel qemu = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                DisplayRelay relay = DisplayRelay.open("node1", sock)) {
            qemu.bind(UnixDomainSocketAddress.of(sock));
            InetSocketAddress at = relay.address();
            assertThat(at.getAddress().isLoopbackAddress())
                    .as("nothing listens beyond loopback")
                    .isTrue();
            Thread server = new Thread(() -> {
                try (SocketChannel c = qemu.accept()) {
                    c.write(ByteBuffer.wrap("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII)));
                    ByteBuffer in = ByteBuffer.allocate(12);
                    while (in.hasRemaining() && c.read(in) >= 0) {}
                    in.flip();
                    c.write(in); // echo the viewer's version back
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            server.start();
            try (Socket viewer = new Socket(at.getAddress(), at.getPort())) {
                InputStream in = viewer.getInputStream();
                OutputStream out = viewer.getOutputStream();
                assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII))
                        .isEqualTo("RFB 003.008\n");
                out.write("RFB 003.003\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII))
                        .isEqualTo("RFB 003.003\n");
                assertThat(in.read())
                        .as("QEMU's side closed: so does the viewer's")
                        .isEqualTo(-1);
            }
            server.join(10_000);
        }
    }

    @Test
    void aViewerWhileQemuIsDownIsClosedAtOnceAndTheNextOneGetsThrough() throws Exception {
        Path sock = dir.resolve("vnc.sock");
        try (DisplayRelay relay = DisplayRelay.open("node1", sock)) {
            InetSocketAddress at = relay.address();
            try (Socket viewer = new Socket(at.getAddress(), at.getPort())) {
                viewer.setSoTimeout(10_000);
                assertThat(viewer.getInputStream().read()).isEqualTo(-1);
            }
            try (ServerSocketChannel qemu = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                qemu.bind(UnixDomainSocketAddress.of(sock));
                try (Socket viewer = new Socket(at.getAddress(), at.getPort());
                        SocketChannel c = qemu.accept()) {
                    c.write(ByteBuffer.wrap(new byte[] {'R'}));
                    viewer.setSoTimeout(10_000);
                    assertThat(viewer.getInputStream().read()).isEqualTo('R');
                }
            }
        }
    }

    @Test
    void closingTheRelayFreesItsPort() throws Exception {
        InetSocketAddress at;
        try (DisplayRelay relay = DisplayRelay.open("node1", dir.resolve("vnc.sock"))) {
            at = relay.address();
        }
        try (ServerSocketChannel again = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            again.bind(at);
            assertThat(again.getLocalAddress()).isEqualTo(at);
        }
    }
}
