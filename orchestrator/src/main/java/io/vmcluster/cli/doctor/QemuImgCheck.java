package io.vmcluster.cli.doctor;

import io.vmcluster.command.CommandResult;
import java.time.Duration;

/** Is {@code qemu-img} there (per-node overlays and data disks)? */
public final class QemuImgCheck implements HostCheck {
    static final String NAME = "qemu-img";

    @Override
    public CheckResult run(HostContext host) {
        CommandResult r = host.commands().probe(Duration.ofSeconds(10), "qemu-img", "--version");
        if (!r.succeeded()) {
            return CheckResult.missing(NAME, "not usable: " + r.firstComplaint(), "apt-get install -y qemu-utils");
        }
        return CheckResult.ok(
                NAME, r.stdoutText().strip().lines().findFirst().orElse("").replace("qemu-img ", ""));
    }
}
