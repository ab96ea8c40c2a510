package io.vmcluster.cli.doctor;

import io.vmcluster.command.CommandResult;
import java.time.Duration;

/** Can a bridge and a tap be made and joined (inside the scratch namespace)? */
public final class BridgeTapCheck implements HostCheck {
    static final String NAME = "tap + bridge";

    @Override
    public CheckResult run(HostContext host) {
        if (host.namespace().isEmpty()) {
            return CheckResult.missing(NAME, "not tried: needs a network namespace", "see network namespaces");
        }
        ScratchNamespace ns = host.namespace().get();
        Duration t = Duration.ofSeconds(10);
        CommandResult r = ns.exec(t, "ip", "link", "add", "vmcbr0", "type", "bridge");
        if (!r.succeeded()) {
            return CheckResult.missing(
                    NAME, "cannot create a bridge: " + r.firstComplaint(), "modprobe bridge (kernel CONFIG_BRIDGE)");
        }
        r = ns.exec(t, "ip", "tuntap", "add", "dev", "vmctap0", "mode", "tap");
        if (!r.succeeded()) {
            return CheckResult.missing(
                    NAME, "cannot create a tap: " + r.firstComplaint(), "modprobe tun; /dev/net/tun must exist");
        }
        r = ns.exec(t, "ip", "link", "set", "vmctap0", "master", "vmcbr0");
        if (!r.succeeded()) {
            return CheckResult.missing(
                    NAME, "cannot attach a tap to a bridge: " + r.firstComplaint(), "modprobe bridge");
        }
        return CheckResult.ok(NAME, "bridge and tap created in " + ns.name());
    }
}
