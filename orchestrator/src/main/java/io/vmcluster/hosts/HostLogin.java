package io.vmcluster.hosts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How the coordinator logs in to its hosts: one private key for all (its public half in each
 * host's authorized keys for the host's {@code ssh:} user), and a known-hosts file every host's key
 * is checked against (no key is ever accepted unseen). {@code socketFactory} is how the TCP
 * connections to the SSH servers are made: the JVM's own by default; tests whose "hosts" are
 * network namespaces make them inside one.
 *
 * @param identity the private key file
 * @param knownHosts the known-hosts file
 * @param socketFactory how to connect, or empty for plain sockets
 */
public record HostLogin(Path identity, Path knownHosts, Optional<com.jcraft.jsch.SocketFactory> socketFactory) {
    public HostLogin {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(knownHosts, "knownHosts");
        Objects.requireNonNull(socketFactory, "socketFactory");
    }

    /**
     * {@code VMC_SSH_IDENTITY} (default {@code ~/.ssh/id_ed25519}, else {@code ~/.ssh/id_rsa}) and
     * {@code VMC_SSH_KNOWN_HOSTS} (default {@code ~/.ssh/known_hosts}).
     */
    public static HostLogin fromEnvironment() {
        Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
        String id = System.getenv("VMC_SSH_IDENTITY");
        Path identity = id != null
                ? Path.of(id)
                : Files.exists(ssh.resolve("id_ed25519")) ? ssh.resolve("id_ed25519") : ssh.resolve("id_rsa");
        String kh = System.getenv("VMC_SSH_KNOWN_HOSTS");
        return new HostLogin(identity, kh != null ? Path.of(kh) : ssh.resolve("known_hosts"), Optional.empty());
    }

    /** The same login, connecting through {@code factory}. */
    public HostLogin withSocketFactory(com.jcraft.jsch.SocketFactory factory) {
        return new HostLogin(identity, knownHosts, Optional.of(factory));
    }
}
