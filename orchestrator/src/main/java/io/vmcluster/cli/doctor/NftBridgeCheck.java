package io.vmcluster.cli.doctor;

import io.vmcluster.command.CommandResult;
import io.vmcluster.nativeio.NftablesContext;
import io.vmcluster.network.NamespacedNftables;
import java.time.Duration;

/** Can nftables filter bridged traffic between tap ports (silent switch partitions)? */
public final class NftBridgeCheck implements HostCheck {
    static final String NAME = "nftables bridge filter";

    @Override
    public CheckResult run(HostContext host) {
        if (host.namespace().isEmpty()) {
            return CheckResult.missing(NAME, "not tried: needs a network namespace", "see network namespaces");
        }
        ScratchNamespace ns = host.namespace().get();
        Duration t = Duration.ofSeconds(10);
        CommandResult r = ns.exec(t, "nft", "add", "table", "bridge", "vmcdoc");
        if (!r.succeeded()) {
            String fix = r.exitCode() == 127 || r.firstComplaint().contains("cannot run")
                    ? "apt-get install -y nftables"
                    : "modprobe nf_tables nft_chain_nat; a kernel with CONFIG_NF_TABLES_BRIDGE";
            return CheckResult.missing(NAME, "nft add table bridge failed: " + r.firstComplaint(), fix);
        }
        r = ns.exec(
                t,
                "nft",
                "add",
                "chain",
                "bridge",
                "vmcdoc",
                "vmcfwd",
                "{",
                "type",
                "filter",
                "hook",
                "forward",
                "priority",
                "0",
                ";",
                "}");
        if (r.succeeded()) {
            r = ns.exec(
                    t, "nft", "add", "rule", "bridge", "vmcdoc", "vmcfwd", "iifname", "vmctap0", "oifname", "vmctap1",
                    "drop");
        }
        if (!r.succeeded()) {
            return CheckResult.missing(
                    NAME,
                    "cannot add a bridge forward drop rule: " + r.firstComplaint(),
                    "a kernel with CONFIG_NF_TABLES_BRIDGE");
        }
        if (!NamespacedNftables.available()) {
            return CheckResult.warn(
                    NAME,
                    "bridge forward drop rule accepted; libnftables cannot be loaded ("
                            + NftablesContext.unavailableReason() + "): every partition change starts nft",
                    "apt-get install -y libnftables1");
        }
        return CheckResult.ok(NAME, "bridge forward drop rule accepted; partitions change through libnftables");
    }
}
