package io.vmcluster.fault;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Repairs a pcap file written by QEMU 7.2's {@code filter-dump} on a tap netdev with a virtio
 * header ({@code vnet_hdr}, on by default): QEMU writes each frame with the virtio-net header still
 * in front of it (12 bytes for a virtio 1.0 guest, 10 for a legacy one), so no pcap reader sees
 * Ethernet frames. (Later QEMUs skip the header themselves.)
 *
 * <p>The header length is found from the frames themselves: the first frame whose source or
 * destination MAC, read at offset 0, 12 or 10, is the captured NIC's decides it for the file. A
 * file whose frames already start with the Ethernet header is left as it is. Frames too short for
 * the header are kept unchanged.
 */
final class CaptureFile {
    private static final int GLOBAL_HEADER = 24;
    private static final int RECORD_HEADER = 16;
    private static final int[] HEADER_LENGTHS = {0, 12, 10};

    private CaptureFile() {}

    /**
     * Strips the virtio-net header from every frame of {@code file} captured on the NIC with
     * {@code mac} ({@code 52:54:00:...}); returns the number of bytes stripped from each frame (0:
     * nothing to do, the file is untouched, or there is no file). The file is replaced atomically.
     */
    static int stripVirtioHeaders(Path file, String mac) throws IOException {
        if (!Files.exists(file)) {
            return 0; // QEMU wrote nothing: nothing to repair
        }
        byte[] nic = HexFormat.ofDelimiter(":").parseHex(mac);
        int strip = headerLength(file, nic);
        if (strip == 0) {
            return 0;
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)));
                OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
            byte[] global = in.readNBytes(GLOBAL_HEADER);
            out.write(global);
            ByteOrder order = order(global);
            byte[] rec = new byte[RECORD_HEADER];
            while (readRecordHeader(in, rec)) {
                ByteBuffer h = ByteBuffer.wrap(rec).order(order);
                int caught = h.getInt(8);
                int length = h.getInt(12);
                byte[] frame = readFrame(in, caught, file);
                if (caught >= strip + 14) {
                    h.putInt(8, caught - strip);
                    h.putInt(12, Math.max(0, length - strip));
                    out.write(rec);
                    out.write(frame, strip, caught - strip);
                } else {
                    out.write(rec);
                    out.write(frame);
                }
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return strip;
    }

    /** The header length in front of this file's frames, from the first frame that tells. */
    static int headerLength(Path file, byte[] nic) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            byte[] global = in.readNBytes(GLOBAL_HEADER);
            if (global.length < GLOBAL_HEADER) {
                return 0; // empty or cut short: nothing to repair
            }
            ByteOrder order = order(global);
            byte[] rec = new byte[RECORD_HEADER];
            while (readRecordHeader(in, rec)) {
                byte[] frame = readFrame(in, ByteBuffer.wrap(rec).order(order).getInt(8), file);
                for (int k : HEADER_LENGTHS) {
                    if (frame.length >= k + 12
                            && (Arrays.equals(frame, k, k + 6, nic, 0, 6)
                                    || Arrays.equals(frame, k + 6, k + 12, nic, 0, 6))) {
                        return k;
                    }
                }
            }
            return 0;
        }
    }

    private static ByteOrder order(byte[] global) throws IOException {
        int magic = ByteBuffer.wrap(global).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        return switch (magic) {
            case 0xa1b2c3d4, 0xa1b23c4d -> ByteOrder.LITTLE_ENDIAN;
            case 0xd4c3b2a1, 0x4d3cb2a1 -> ByteOrder.BIG_ENDIAN;
            default -> throw new IOException("not a pcap file (magic " + Integer.toHexString(magic) + ")");
        };
    }

    private static boolean readRecordHeader(InputStream in, byte[] rec) throws IOException {
        int n = in.readNBytes(rec, 0, rec.length);
        if (n == 0) {
            return false;
        }
        if (n < rec.length) {
            throw new EOFException("pcap record header cut short (" + n + " of " + rec.length + " bytes)");
        }
        return true;
    }

    private static byte[] readFrame(DataInputStream in, int caught, Path file) throws IOException {
        if (caught < 0 || caught > 1 << 20) {
            throw new IOException(file + ": implausible captured length " + caught);
        }
        byte[] frame = new byte[caught];
        in.readFully(frame);
        return frame;
    }
}
