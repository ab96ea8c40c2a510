package io.vmcluster.cli.doctor;

import java.time.Duration;

/** Is {@code qemu-img} there (per-node overlays and data disks)? */
public final class QemuImgCheck implements HostCheck {
    static final String NAME = "qemu-img";

    @Override
    public CheckResult run(HostContext host) {
        Shell.Result r = host.shell().run(host.timeout(Duration.ofSeconds(10)), "qemu-img", "--version");
        if (!r.ok()) {
            return CheckResult.missing(NAME, "not usable: " + r.why(), "apt-get install -y qemu-utils");
        }
        return CheckResult.ok(
                NAME, r.stdout().strip().lines().findFirst().orElse("").replace("qemu-img ", ""));
    }
}
