package io.vmcluster.hosts;

import io.vmcluster.network.NamespacedSockets;
import io.vmcluster.network.NetworkNamespace;
import io.vmcluster.process.ChildProcess;
import io.vmcluster.process.Commands;
import io.vmcluster.process.ProcessLauncher;
import io.vmcluster.process.ProcessSpec;
import io.vmcluster.time.Timing;
import io.vmcluster.time.Wait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Network namespaces standing for hosts, as issue 21 asks: each with its own sshd bound to its
 * own address inside it (10.99.0.(i+1), on an underlay switch of {@link VxlanJoinIT.TestHosts}),
 * root's login by a key made for the test, and a known-hosts file holding their key. The
 * coordinator reaches them from the underlay switch's namespace (10.99.0.254), through {@link
 * #login()}'s socket factory. Closing stops the sshds and removes the namespaces.
 */
final class SshHosts implements AutoCloseable {
    static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final VxlanJoinIT.TestHosts hosts;
    private final List<ChildProcess> sshds;
    private final NamespacedSockets sockets;
    private final Path dir;

    private SshHosts(VxlanJoinIT.TestHosts hosts, List<ChildProcess> sshds, NamespacedSockets sockets, Path dir) {
        this.hosts = hosts;
        this.sshds = sshds;
        this.sockets = sockets;
        this.dir = dir;
    }

    /** Whether this machine can: root, namespaces, OpenSSH's sshd and ssh-keygen. */
    static boolean available() {
        return io.vmcluster.network.TestHost.canManageNamespaces()
                && Files.isExecutable(SSHD)
                && Files.isExecutable(Path.of("/usr/bin/ssh-keygen"));
    }

    /** An ed25519 key pair without a passphrase at {@code file} and {@code file.pub}. */
    private static void newKey(Commands cmd, Path file) throws IOException {
        cmd.succeed(Duration.ofSeconds(30), "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", file.toString());
    }

    static SshHosts start(int n, Path dir, Timing timing) throws IOException {
        Commands cmd = Commands.with(timing);
        newKey(cmd, dir.resolve("host_key"));
        newKey(cmd, dir.resolve("id"));
        Files.copy(dir.resolve("id.pub"), dir.resolve("authorized_keys"));
        Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation directory
        String hostKey = Files.readString(dir.resolve("host_key.pub")).strip();
        StringBuilder known = new StringBuilder();
        VxlanJoinIT.TestHosts hosts = VxlanJoinIT.TestHosts.create(n, timing);
        List<ChildProcess> sshds = new ArrayList<>();
        ProcessLauncher launcher = ProcessLauncher.create(timing);
        try {
            for (int i = 0; i < n; i++) {
                String address = hosts.address(i).toString();
                known.append(address).append(' ').append(hostKey).append('\n');
                sshds.add(launcher.start(ProcessSpec.of(
                                SSHD.toString(),
                                "-D",
                                "-e",
                                "-f",
                                "/dev/null",
                                "-h",
                                dir.resolve("host_key").toString(),
                                "-o",
                                "ListenAddress=" + address + ":22",
                                "-o",
                                "AuthorizedKeysFile=" + dir.resolve("authorized_keys"),
                                "-o",
                                "StrictModes=no",
                                "-o",
                                "UsePAM=no",
                                "-o",
                                "PidFile=none",
                                "-o",
                                "PermitRootLogin=prohibit-password")
                        .inNetworkNamespace(hosts.ns(i).name())
                        .stderr(dir.resolve("sshd-h" + (i + 1) + ".log"))));
            }
            Files.writeString(dir.resolve("known_hosts"), known);
            NamespacedSockets sockets = NamespacedSockets.enter(hosts.underlay().path(), timing);
            SshHosts made = new SshHosts(hosts, sshds, sockets, dir);
            for (int i = 0; i < n; i++) {
                InetSocketAddress ssh = new InetSocketAddress(made.address(i), 22);
                Wait.forCondition("sshd on " + ssh)
                        .timing(timing)
                        .atMost(Duration.ofSeconds(20))
                        .untilTrue(() -> {
                            try (var ch = sockets.connect(ssh, Duration.ofSeconds(1))) {
                                return true;
                            } catch (IOException | UncheckedIOException e) {
                                return false;
                            }
                        });
            }
            return made;
        } catch (RuntimeException | IOException e) {
            sshds.forEach(ChildProcess::kill);
            hosts.close();
            throw e;
        }
    }

    String address(int i) {
        return hosts.address(i).toString();
    }

    NetworkNamespace ns(int i) {
        return hosts.ns(i);
    }

    String underlayNamespace() {
        return hosts.underlay().name();
    }

    HostLogin login() {
        return new HostLogin(dir.resolve("id"), dir.resolve("known_hosts"), java.util.Optional.empty())
                .withSocketFactory(sockets.jschSocketFactory(Duration.ofSeconds(10)));
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() {
        sshds.forEach(ChildProcess::kill);
        sockets.close();
        hosts.close();
    }
}
