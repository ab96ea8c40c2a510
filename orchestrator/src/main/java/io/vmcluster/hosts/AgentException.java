package io.vmcluster.hosts;

/**
 * An agent answered a request with an error, ended, or did not answer in time. {@link #kind()}
 * is the agent's: {@code host} (the host lacks something or a node did not boot there),
 * {@code invalid} (it refused the cluster), {@code failed}, or {@code ended}.
 */
public final class AgentException extends RuntimeException {
    private final String host;
    private final String kind;

    AgentException(String host, String kind, String message) {
        super(message);
        this.host = host;
        this.kind = kind;
    }

    public String host() {
        return host;
    }

    public String kind() {
        return kind;
    }
}
