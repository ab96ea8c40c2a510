package io.vmcluster.cli.doctor;

import io.vmcluster.command.CommandResult;
import java.time.Duration;

/** Is {@code qemu-system-x86_64} there, and which version? */
public final class QemuCheck implements HostCheck {
    static final String NAME = "QEMU";

    @Override
    public CheckResult run(HostContext host) {
        CommandResult r = host.commands().probe(Duration.ofSeconds(10), "qemu-system-x86_64", "--version");
        if (!r.succeeded()) {
            return CheckResult.missing(
                    NAME,
                    "qemu-system-x86_64 not usable: " + r.firstComplaint(),
                    "apt-get install -y qemu-system-x86 qemu-utils");
        }
        String first = r.stdoutText().strip().lines().findFirst().orElse("");
        return CheckResult.ok(NAME, first.replace("QEMU emulator version ", "version "));
    }
}
