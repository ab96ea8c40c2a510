package io.vmcluster.qemu;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The file QEMU writes the guest's ttyS0 to (appended across restarts). Reads are positional, so
 * "since this boot" is an offset taken before QEMU starts.
 */
public final class SerialLog {
    private static final int TAIL_BYTES = 64 * 1024;
    /**
     * What the kernel's real-mode setup code prints before the kernel proper runs. On a host whose
     * KVM cannot run a guest past real mode (nested virtualisation without VMX/SVM) this line is
     * all the guest ever prints, so it is no sign of life.
     */
    private static final String SETUP_LINE = "Probing EDD";

    private final Path file;

    public SerialLog(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Current size in bytes (0 when missing): the offset of whatever is written next. */
    public long size() {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Whether a line equal to {@code line} (trailing CR/space ignored) was written at or after {@code offset}. */
    public boolean hasLineSince(long offset, String line) {
        for (String l : textSince(offset).split("\n", -1)) {
            if (l.strip().equals(line)) {
                return true;
            }
        }
        return false;
    }

    /** Text written at or after {@code offset} (at most the last 1 MiB of it). */
    public String textSince(long offset) {
        long size = size();
        long from = Math.max(offset, size - (1 << 20));
        return read(from, (int) Math.max(0, size - from));
    }

    /**
     * Whether the guest printed a line at or after {@code offset} that its kernel or init wrote:
     * anything but blank lines and the real-mode setup code's EDD probe.
     */
    public boolean showsGuestOutputSince(long offset) {
        for (String l : textSince(offset).split("\r?\n", -1)) {
            String line = l.strip();
            if (!line.isEmpty() && !line.startsWith(SETUP_LINE)) {
                return true;
            }
        }
        return false;
    }

    /** The last {@code lines} lines, for error messages. */
    public String tail(int lines) {
        return tailSince(0, lines);
    }

    /** The last {@code lines} lines written at or after {@code offset} (this boot's), for error messages. */
    public String tailSince(long offset, int lines) {
        long size = size();
        long from = Math.max(offset, size - TAIL_BYTES);
        String text = read(from, (int) Math.max(0, size - from));
        List<String> all = Arrays.asList(text.split("\r?\n"));
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private String read(long from, int length) {
        if (length <= 0) {
            return "";
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] buf = new byte[length];
            f.seek(from);
            int n = f.read(buf);
            return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
