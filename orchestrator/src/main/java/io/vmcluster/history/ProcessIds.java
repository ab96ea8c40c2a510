package io.vmcluster.history;

/**
 * Jepsen's process numbering for {@code clients} logical clients: client {@code i} starts as
 * process {@code i}; after an operation of it ends in {@code info}, the client continues as process
 * {@code i + clients}, then {@code i + 2 * clients}, and so on, so that no process ever has two
 * operations open and the hung one is never reused. Safe for concurrent clients.
 */
public final class ProcessIds {
    private final int clients;
    private final long[] current;

    public ProcessIds(int clients) {
        if (clients < 1) {
            throw new IllegalArgumentException("clients must be at least 1, got " + clients);
        }
        this.clients = clients;
        this.current = new long[clients];
        for (int i = 0; i < clients; i++) {
            current[i] = i;
        }
    }

    /** The process client {@code client} (0-based) uses now. */
    public synchronized long process(int client) {
        return current[check(client)];
    }

    /** Gives the client a new process after an {@code info}, and returns it. */
    public synchronized long replace(int client) {
        current[check(client)] += clients;
        return current[client];
    }

    private int check(int client) {
        if (client < 0 || client >= clients) {
            throw new IllegalArgumentException("client " + client + " is not one of 0.." + (clients - 1));
        }
        return client;
    }
}
