package io.vmcluster.cli.doctor;

import io.vmcluster.command.CommandResult;
import io.vmcluster.qemu.QemuBinary;
import java.nio.file.Path;
import java.time.Duration;

/** Is the QEMU runs use there ({@link QemuBinary}: {@code VMC_QEMU}, else {@code qemu-system-x86_64}), and which version? */
public final class QemuCheck implements HostCheck {
    static final String NAME = "QEMU";

    private final Path binary;

    /** Checks the configured QEMU. */
    public QemuCheck() {
        this(QemuBinary.configured());
    }

    public QemuCheck(Path binary) {
        this.binary = binary;
    }

    @Override
    public CheckResult run(HostContext host) {
        CommandResult r = host.commands().probe(Duration.ofSeconds(10), binary.toString(), "--version");
        if (!r.succeeded()) {
            return CheckResult.missing(
                    NAME,
                    binary + " not usable: " + r.firstComplaint(),
                    binary.equals(QemuBinary.DEFAULT)
                            ? "apt-get install -y qemu-system-x86 qemu-utils"
                            : "point VMC_QEMU at a working qemu-system-x86_64, or unset it to use the one on PATH");
        }
        String first = r.stdoutText().strip().lines().findFirst().orElse("");
        return CheckResult.ok(NAME, first.replace("QEMU emulator version ", "version "));
    }
}
