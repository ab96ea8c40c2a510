package io.vmcluster.qemu;

import java.nio.file.Path;

/**
 * Which QEMU executable runs the VMs (and which one {@code doctor} and the run's preflight check):
 * the system property {@code vmc.qemu}, else the environment variable {@code VMC_QEMU}, else
 * {@code qemu-system-x86_64} from {@code PATH}. A path or a name on {@code PATH}; for a QEMU
 * built from source, or a wrapper script in tests.
 */
public final class QemuBinary {
    /** The default: Debian's {@code qemu-system-x86} package puts it on {@code PATH}. */
    public static final Path DEFAULT = Path.of("qemu-system-x86_64");

    private QemuBinary() {}

    /** The configured QEMU executable. */
    public static Path configured() {
        String value = System.getProperty("vmc.qemu");
        if (value == null || value.isBlank()) {
            value = System.getenv("VMC_QEMU");
        }
        return value == null || value.isBlank() ? DEFAULT : Path.of(value.strip());
    }
}
