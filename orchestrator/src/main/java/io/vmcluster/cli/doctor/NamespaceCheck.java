package io.vmcluster.cli.doctor;

import io.vmcluster.command.CommandResult;

/** Can vmcluster make a network namespace of its own? (Needs root or CAP_SYS_ADMIN + CAP_NET_ADMIN.) */
public final class NamespaceCheck implements HostCheck {
    static final String NAME = "network namespaces";

    private final CommandResult creation;

    /** @param creation what {@code ip netns add} said when doctor made its scratch namespace */
    public NamespaceCheck(CommandResult creation) {
        this.creation = creation;
    }

    @Override
    public CheckResult run(HostContext host) {
        if (host.namespace().isPresent()) {
            return CheckResult.ok(
                    NAME, "created and removed " + host.namespace().get().name());
        }
        String why = creation.firstComplaint();
        String fix = creation.exitCode() == 127 || why.contains("cannot run")
                ? "apt-get install -y iproute2"
                : "run as root (namespaces, bridges and taps need CAP_NET_ADMIN)";
        return CheckResult.missing(NAME, "ip netns add failed: " + why, fix);
    }
}
