package io.vmcluster.hosts;

import io.vmcluster.cluster.spec.HostSpec;

/**
 * A host of a cluster spread over several machines cannot be used: its SSH server does not answer
 * or refuses the login, the agent does not start there, or it lacks what a run needs. The message
 * names the host, how it was reached and what to fix; the CLI exits with 3 (the host lacks
 * something).
 */
public final class HostException extends RuntimeException {
    private final String host;

    public HostException(HostSpec host, String message, Throwable cause) {
        super("host " + host.name() + " (" + host.ssh() + "): " + message, cause);
        this.host = host.name();
    }

    public HostException(String message) {
        super(message);
        this.host = null;
    }

    /** The host's name in the cluster file, when one host is at fault. */
    public String host() {
        return host;
    }
}
