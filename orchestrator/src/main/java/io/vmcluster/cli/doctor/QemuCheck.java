package io.vmcluster.cli.doctor;

import java.time.Duration;

/** Is {@code qemu-system-x86_64} there, and which version? */
public final class QemuCheck implements HostCheck {
    static final String NAME = "QEMU";

    @Override
    public CheckResult run(HostContext host) {
        Shell.Result r = host.shell().run(host.timeout(Duration.ofSeconds(10)), "qemu-system-x86_64", "--version");
        if (!r.ok()) {
            return CheckResult.missing(
                    NAME, "qemu-system-x86_64 not usable: " + r.why(), "apt-get install -y qemu-system-x86 qemu-utils");
        }
        String first = r.stdout().strip().lines().findFirst().orElse("");
        return CheckResult.ok(NAME, first.replace("QEMU emulator version ", "version "));
    }
}
