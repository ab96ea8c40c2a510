package io.vmcluster.workload;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How one operation reaches the cluster. Text fields are templates: {@code ${value}}, {@code ${key}}
 * and {@code ${node}} are the operation's, any other {@code ${name}} is looked up when the operation
 * runs (a scenario's variables).
 */
public sealed interface Transport permits Transport.Http, Transport.Tcp, Transport.Guest {

    /** {@code http}, {@code tcp} or {@code command}, for messages. */
    String kind();

    /**
     * An HTTP/1.1 request from the host to {@code port} on the chosen node (one connection per
     * request, {@code Connection: close}).
     *
     * @param method e.g. GET, POST
     * @param port the node's TCP port
     * @param path the request target, e.g. {@code /new-job} or {@code /v3/kv/range?k=${key}}
     * @param headers extra request headers (Host, Content-Length and Connection are set)
     * @param body the request body, or null for none
     */
    record Http(String method, int port, String path, Map<String, String> headers, String body) implements Transport {
        public Http {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
            checkPort(port);
            headers = Map.copyOf(new LinkedHashMap<>(headers == null ? Map.of() : headers));
        }

        @Override
        public String kind() {
            return "http";
        }
    }

    /**
     * A raw TCP request from the host: connect to {@code port} on the node, write {@code payload},
     * read until {@code until} appears in the reply (or the peer closes when {@code until} is null).
     */
    record Tcp(int port, String payload, String until) implements Transport {
        public Tcp {
            Objects.requireNonNull(payload, "payload");
            checkPort(port);
            if (until != null && until.isEmpty()) {
                until = null;
            }
        }

        @Override
        public String kind() {
            return "tcp";
        }
    }

    /** A shell command run in the chosen node's guest through its command channel. */
    record Guest(String command) implements Transport {
        public Guest {
            Objects.requireNonNull(command, "command");
        }

        @Override
        public String kind() {
            return "command";
        }
    }

    private static void checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not 1..65535");
        }
    }
}
