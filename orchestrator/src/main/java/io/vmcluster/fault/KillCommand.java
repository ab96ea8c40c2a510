package io.vmcluster.fault;

import io.vmcluster.command.ShellQuote;

/**
 * The guest command of the {@code kill_process} fault: SIGKILL to every process called {@code
 * name}, printing their pids, exit 3 when there is none. One definition for the node fault and for
 * a cluster over hosts, which sends it through the node's agent.
 */
public final class KillCommand {
    private KillCommand() {}

    /** The shell text; {@code name} must be 1-64 of A-Z a-z 0-9 _ . + - (else IllegalArgumentException). */
    public static String of(String name) {
        if (!name.matches("[A-Za-z0-9_.+-]{1,64}")) {
            throw new IllegalArgumentException("process name '" + name + "' must be 1-64 of A-Z a-z 0-9 _ . + -");
        }
        String q = ShellQuote.quote(name);
        return "p=$(pidof " + q + "); [ -n \"$p\" ] || { echo no process named " + q
                + " >&2; exit 3; }; kill -9 $p && echo $p";
    }
}
