package io.vmcluster.qemu;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether {@code /dev/kvm} can be used: it exists and opens read-write. That KVM really runs a
 * guest is only known once one shows signs of life (see {@link AcceleratorChoice}): on some
 * hosts (nested virtualisation without vmx) KVM opens fine and the guest then hangs.
 */
public final class KvmProbe {
    private KvmProbe() {}

    /** The probe result and why. */
    public record Result(boolean usable, String reason) {}

    public static Result probe() {
        return probe(Path.of("/dev/kvm"));
    }

    static Result probe(Path device) {
        if (!Files.exists(device)) {
            return new Result(false, device + " does not exist (no KVM module, or not passed into this container)");
        }
        try (RandomAccessFile f = new RandomAccessFile(device.toFile(), "rw")) {
            return new Result(true, device + " opens read-write");
        } catch (IOException e) {
            return new Result(false, device + " cannot be opened read-write: " + e.getMessage());
        }
    }
}
