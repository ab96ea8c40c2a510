package io.vmcluster.cluster.spec;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a host's SSH server is: {@code [user@]address[:port]} as written in a cluster file's
 * {@code hosts[].ssh} ({@code root@10.0.0.5}, {@code ops@h2.example:2222}). The user defaults to
 * {@code root} (the agent makes network namespaces and taps), the port to 22.
 *
 * @param user the login name
 * @param address a host name or an IPv4 address, as the coordinator resolves it
 * @param port the TCP port of the SSH server
 */
public record SshTarget(String user, String address, int port) {
    private static final Pattern FORM =
            Pattern.compile("(?:([a-z_][a-z0-9_.-]{0,31})@)?([A-Za-z0-9.-]{1,253})(?::(\\d{1,5}))?");

    public SshTarget {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(address, "address");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range (1..65535)");
        }
    }

    /**
     * Parses {@code [user@]address[:port]}.
     *
     * @throws IllegalArgumentException saying what is wrong and what would be valid
     */
    public static SshTarget parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an SSH address; write [USER@]ADDRESS[:PORT],"
                    + " e.g. root@10.0.0.5 or root@10.0.0.5:2222");
        }
        int port = m.group(3) == null ? 22 : Integer.parseInt(m.group(3));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + text + "': port " + port + " is out of range (1..65535)");
        }
        return new SshTarget(m.group(1) == null ? "root" : m.group(1), m.group(2), port);
    }

    @Override
    public String toString() {
        return user + "@" + address + (port == 22 ? "" : ":" + port);
    }
}
