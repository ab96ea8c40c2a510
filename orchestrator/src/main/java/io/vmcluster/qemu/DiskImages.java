package io.vmcluster.qemu;

import io.vmcluster.process.Commands;
import io.vmcluster.time.Timing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Creates the per-node disks with {@code qemu-img}, its bound scaled by the timing it was made with. */
public final class DiskImages {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private final Commands host;

    private DiskImages(Timing timing) {
        this.host = Commands.with(timing);
    }

    /** Disk creation whose {@code qemu-img} bound {@code timing} scales. */
    public static DiskImages with(Timing timing) {
        return new DiskImages(timing);
    }

    /** A blank qcow2 data disk of {@code sizeMiB}, unless {@code file} exists already (a restart). */
    public void ensureDataDisk(Path file, int sizeMiB) {
        if (Files.exists(file)) {
            return;
        }
        host.succeed(BOUND, "qemu-img", "create", "-q", "-f", "qcow2", file.toString(), sizeMiB + "M");
    }

    /** A blank qcow2 disk of {@code sizeMiB} at {@code file}, replacing whatever was there (a lost disk, a backup target). */
    public void blank(Path file, int sizeMiB) {
        try {
            Files.deleteIfExists(file);
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot replace " + file + ": " + e.getMessage(), e);
        }
        host.succeed(BOUND, "qemu-img", "create", "-q", "-f", "qcow2", file.toString(), sizeMiB + "M");
    }

    /**
     * Writes the guest-visible contents of the qcow2 {@code source} over those of the existing
     * qcow2 {@code target} ({@code qemu-img convert -n}): every block, zeroes included, so the
     * target reads exactly as the source afterwards, while the target file, and the internal
     * snapshots it holds, stay. No QEMU may have either open.
     */
    public void copyContents(Path source, Path target) {
        host.succeed(
                BOUND, "qemu-img", "convert", "-n", "-f", "qcow2", "-O", "qcow2", source.toString(), target.toString());
    }

    /**
     * Writes what the guest sees of the qcow2 {@code source} (its backing files included, its
     * internal snapshots left out) into a new standalone qcow2 {@code target}. {@code source} may
     * be open in a QEMU ({@code -U}): the caller makes sure it is not written meanwhile (the VM is
     * stopped and its disks flushed, as after a migration).
     */
    public void export(Path source, Path target) {
        host.succeed(
                BOUND, "qemu-img", "convert", "-U", "-f", "qcow2", "-O", "qcow2", source.toString(), target.toString());
    }

    /**
     * A qcow2 overlay of {@code base} (never written: every write lands in the overlay), unless
     * {@code overlay} exists already. The base format is qcow2 for {@code *.qcow2}, else raw.
     */
    public void ensureOverlay(Path overlay, Path base) {
        if (Files.exists(overlay)) {
            return;
        }
        String format = base.getFileName().toString().endsWith(".qcow2") ? "qcow2" : "raw";
        host.succeed(
                BOUND,
                "qemu-img",
                "create",
                "-q",
                "-f",
                "qcow2",
                "-b",
                base.toAbsolutePath().toString(),
                "-F",
                format,
                overlay.toString());
    }
}
