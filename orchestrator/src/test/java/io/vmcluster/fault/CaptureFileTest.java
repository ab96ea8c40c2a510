package io.vmcluster.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureFileTest {
    static final String MAC = "52:54:00:01:00:01";
    static final byte[] NIC = HexFormat.ofDelimiter(":").parseHex(MAC);
    static final byte[] PEER = HexFormat.ofDelimiter(":").parseHex("52:54:00:01:00:03");
    static final byte[] BROADCAST = HexFormat.ofDelimiter(":").parseHex("ff:ff:ff:ff:ff:ff");

    @TempDir
    Path dir;

    /** An Ethernet frame dst, src, IPv4 ethertype, then {@code payload} bytes of 0x42. */
    static byte[] frame(byte[] dst, byte[] src, int payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + payload);
        b.put(dst).put(src).putShort((short) 0x0800);
        while (b.hasRemaining()) {
            b.put((byte) 0x42);
        }
        return b.array();
    }

    /** QEMU 7.2's view: a virtio-net header of {@code header} bytes in front of the frame. */
    static byte[] withHeader(int header, byte[] frame) {
        byte[] h = new byte[header + frame.length];
        h[0] = 1; // VIRTIO_NET_HDR_F_NEEDS_CSUM
        h[2] = 0x22;
        System.arraycopy(frame, 0, h, header, frame.length);
        return h;
    }

    static byte[] pcap(byte[]... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer g = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        g.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0);
        g.putInt(65536).putInt(1);
        out.writeBytes(g.array());
        int t = 1;
        for (byte[] f : frames) {
            ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            r.putInt(t++).putInt(0).putInt(f.length).putInt(f.length);
            out.writeBytes(r.array());
            out.writeBytes(f);
        }
        return out.toByteArray();
    }

    Path write(byte[] content) throws IOException {
        return Files.write(dir.resolve("c.pcap"), content);
    }

    @Test
    void stripsTheTwelveByteHeaderOfAModernGuestFromEveryFrame() throws IOException {
        byte[] a = frame(BROADCAST, PEER, 28); // a peer's ARP-sized broadcast: does not decide
        byte[] b = frame(PEER, NIC, 84);
        byte[] c = frame(NIC, PEER, 84);
        Path file = write(pcap(withHeader(12, a), withHeader(12, b), withHeader(12, c)));

        assertThat(CaptureFile.stripVirtioHeaders(file, MAC)).isEqualTo(12);
        assertThat(Files.readAllBytes(file)).isEqualTo(pcap(a, b, c));
    }

    @Test
    void stripsTenBytesForALegacyGuest() throws IOException {
        byte[] b = frame(PEER, NIC, 60);
        Path file = write(pcap(withHeader(10, b)));

        assertThat(CaptureFile.stripVirtioHeaders(file, MAC)).isEqualTo(10);
        assertThat(Files.readAllBytes(file)).isEqualTo(pcap(b));
    }

    @Test
    void leavesAFileOfPlainEthernetFramesAlone() throws IOException {
        byte[] content = pcap(frame(PEER, NIC, 60), frame(NIC, PEER, 60));
        Path file = write(content);

        assertThat(CaptureFile.stripVirtioHeaders(file, MAC)).isZero();
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
    }

    @Test
    void anEmptyCaptureOrNoFileIsNothingToRepair() throws IOException {
        Path file = write(pcap());
        assertThat(CaptureFile.stripVirtioHeaders(file, MAC)).isZero();
        assertThat(CaptureFile.stripVirtioHeaders(dir.resolve("missing.pcap"), MAC))
                .isZero();
    }

    @Test
    void refusesWhatIsNotAPcapFile() throws IOException {
        Path file = write(new byte[100]);
        assertThatThrownBy(() -> CaptureFile.stripVirtioHeaders(file, MAC))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a pcap file");
        assertThat(dir.resolve("c.pcap.tmp")).doesNotExist();
    }
}
