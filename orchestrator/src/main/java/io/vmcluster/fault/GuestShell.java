package io.vmcluster.fault;

import java.time.Duration;

/** A root shell in a guest, as faults use it (tc, date, kill). */
@FunctionalInterface
public interface GuestShell {
    /** Runs a {@code /bin/sh} command line in the guest; throws only if the channel itself fails. */
    ExecResult run(String command, Duration timeout);
}
