package io.vmcluster.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The Ethernet frames of a classic pcap file (what QEMU's filter-dump writes), for assertions. */
public record PcapFrames(int linkType, List<byte[]> frames) {
    public static final int ETHERNET = 1;

    public static PcapFrames read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        if (b.remaining() < 24) {
            throw new IOException(file + " has no pcap header (" + b.remaining() + " bytes)");
        }
        b.order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(0);
        if (magic != 0xa1b2c3d4) {
            b.order(ByteOrder.BIG_ENDIAN);
            if (b.getInt(0) != 0xa1b2c3d4) {
                throw new IOException(file + " is not a pcap file (magic " + Integer.toHexString(magic) + ")");
            }
        }
        int linkType = b.getInt(20);
        b.position(24);
        List<byte[]> frames = new ArrayList<>();
        while (b.remaining() >= 16) {
            b.getInt(); // seconds
            b.getInt(); // microseconds
            int captured = b.getInt();
            b.getInt(); // original length
            if (captured < 0 || captured > b.remaining()) {
                break; // a record still being written
            }
            byte[] frame = new byte[captured];
            b.get(frame);
            frames.add(frame);
        }
        return new PcapFrames(linkType, frames);
    }

    /** IPv4 ICMP echo requests (type 8) from {@code source} to {@code destination}, dotted quads. */
    public long icmpEchoRequests(String source, String destination) {
        return icmp(source, destination, 8);
    }

    /** IPv4 ICMP echo replies (type 0) from {@code source} to {@code destination}, dotted quads. */
    public long icmpEchoReplies(String source, String destination) {
        return icmp(source, destination, 0);
    }

    private long icmp(String source, String destination, int type) {
        return frames.stream()
                .filter(f -> f.length >= 14 + 20 + 1)
                .filter(f -> (f[12] & 0xff) == 0x08 && f[13] == 0x00) // IPv4
                .filter(f -> f[14 + 9] == 1) // ICMP
                .filter(f -> ip(f, 14 + 12).equals(source) && ip(f, 14 + 16).equals(destination))
                .filter(f -> f.length > 14 + (f[14] & 0x0f) * 4 && f[14 + (f[14] & 0x0f) * 4] == type)
                .count();
    }

    private static String ip(byte[] f, int at) {
        return (f[at] & 0xff) + "." + (f[at + 1] & 0xff) + "." + (f[at + 2] & 0xff) + "." + (f[at + 3] & 0xff);
    }
}
