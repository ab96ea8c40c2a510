package io.vmcluster.cli.doctor;

/** One question {@code vmcluster doctor} asks the host. Checks try things; they do not assume. */
public interface HostCheck {
    /** Runs the check; never throws for a host that lacks the thing, it reports MISSING instead. */
    CheckResult run(HostContext host);
}
