package io.vmcluster.cli.doctor;

import io.vmcluster.command.CommandResult;
import java.time.Duration;

/**
 * Does the host's tc have netem (delay, loss, jitter on the taps)? Tried on the loopback of the
 * scratch namespace. Without it, slow links are shaped inside the guests instead.
 */
public final class NetemCheck implements HostCheck {
    static final String NAME = "host tc netem";

    @Override
    public CheckResult run(HostContext host) {
        if (host.namespace().isEmpty()) {
            return CheckResult.missing(NAME, "not tried: needs a network namespace", "see network namespaces");
        }
        CommandResult r = host.namespace()
                .get()
                .exec(Duration.ofSeconds(10), "tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms");
        if (r.succeeded()) {
            return CheckResult.ok(NAME, "netem qdisc accepted");
        }
        if (r.exitCode() == 127 || r.firstComplaint().contains("cannot run")) {
            return CheckResult.warn(NAME, "no tc: " + r.firstComplaint(), "apt-get install -y iproute2");
        }
        return CheckResult.warn(
                NAME,
                "host kernel refuses netem (" + r.firstComplaint() + "): delay/loss are applied inside the guests",
                "modprobe sch_netem (Ubuntu: apt-get install linux-modules-extra-$(uname -r))");
    }
}
