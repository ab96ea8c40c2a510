package io.vmcluster.network;

import io.vmcluster.command.CommandResult;
import io.vmcluster.process.Commands;
import io.vmcluster.process.ProcessIdentity;
import io.vmcluster.time.Timing;
import io.vmcluster.time.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private network namespace ({@code ip netns add NAME}, bound at {@code /run/netns/NAME}) that
 * holds a cluster's bridges, taps and rules. Created with {@code lo} up and nothing else.
 * Closing it kills any process still inside, deletes it and with it every device in it.
 *
 * <pre>{@code
 * try (var ns = NetworkNamespace.create("vmc-" + runId, timing)) {
 *     Bridge lan = ns.addBridge(InterfaceName.bridge("lan"), IpPrefix.parse("192.168.1.254/24"));
 *     Tap tap = ns.addTap(InterfaceName.tap("node1", 0), lan);
 *     ns.exec("nft", "list", "ruleset").orThrow();
 *     SocketChannel ch = ns.sockets().connect(new InetSocketAddress("192.168.1.11", 22), Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class NetworkNamespace implements AutoCloseable {
    /** Every namespace vmcluster creates starts with this. */
    public static final String PREFIX = "vmc-";

    private static final Logger LOG = LoggerFactory.getLogger(NetworkNamespace.class);
    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Path NETNS_DIR = Path.of("/run/netns");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final Timing timing;
    private final Commands host;
    private NamespacedSockets sockets;
    private NamespacedNftables nftables;
    private boolean closed;

    private NetworkNamespace(String name, Timing timing) {
        this.name = name;
        this.timing = timing;
        this.host = Commands.with(timing);
    }

    /**
     * Creates the namespace {@code name} and brings up its {@code lo}.
     *
     * @throws IllegalArgumentException if the name is not 1-64 of {@code [A-Za-z0-9_.-]}
     * @throws io.vmcluster.command.CommandFailedException if {@code ip netns add} fails (e.g. it
     *     exists already, or no CAP_SYS_ADMIN)
     */
    public static NetworkNamespace create(String name, Timing timing) {
        checkName(name);
        Commands.with(timing).succeed(COMMAND_TIMEOUT, "ip", "netns", "add", name);
        NetworkNamespace ns = new NetworkNamespace(name, timing);
        try {
            ns.succeed("ip", "link", "set", "lo", "up");
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        LOG.debug("created network namespace {}", name);
        return ns;
    }

    /** The namespace's name, as {@code ip netns} and {@code nsenter} know it. */
    public String name() {
        return name;
    }

    /** Where the namespace is bound: {@code /run/netns/NAME}. */
    public Path path() {
        return path(name);
    }

    /** {@code /run/netns/NAME}. */
    public static Path path(String name) {
        return NETNS_DIR.resolve(name);
    }

    /**
     * Runs a command inside the namespace ({@code nsenter --net=/run/netns/NAME -- argv}) and
     * returns its result whatever the exit code; the process itself stays in the host's other
     * namespaces (mounts, pids).
     */
    public CommandResult exec(List<String> argv, Duration timeout) {
        return exec(argv, null, timeout);
    }

    /** {@link #exec(List, Duration)} with {@code stdin} as the command's input (e.g. {@code nft -f -}). */
    public CommandResult exec(List<String> argv, byte[] stdin, Duration timeout) {
        checkOpen();
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=" + path(), "--"));
        cmd.addAll(argv);
        return host.run(cmd, stdin, timeout);
    }

    /** {@link #exec(List, Duration)} with a 30 s (nominal) timeout. */
    public CommandResult exec(String... argv) {
        return exec(Arrays.asList(argv), COMMAND_TIMEOUT);
    }

    /** {@link #exec(String...)} that throws {@link io.vmcluster.command.CommandFailedException} on a non-zero exit. */
    public CommandResult succeed(String... argv) {
        return exec(argv).orThrow();
    }

    /** Adds a bridge with no address of the namespace on it, and brings it up. */
    public Bridge addBridge(InterfaceName name) {
        return addBridge(name, Optional.empty());
    }

    /** Adds a bridge, gives the namespace {@code hostAddress} on it, and brings it up. */
    public Bridge addBridge(InterfaceName name, IpPrefix hostAddress) {
        return addBridge(name, Optional.of(hostAddress));
    }

    private Bridge addBridge(InterfaceName name, Optional<IpPrefix> hostAddress) {
        succeed("ip", "link", "add", name.value(), "type", "bridge", "stp_state", "0", "forward_delay", "0");
        if (hostAddress.isPresent()) {
            succeed("ip", "addr", "add", hostAddress.get().toString(), "dev", name.value());
        }
        succeed("ip", "link", "set", name.value(), "up");
        return new Bridge(name, hostAddress);
    }

    /** Adds a persistent tap, makes it a port of {@code bridge} and brings it up. */
    public Tap addTap(InterfaceName name, Bridge bridge) {
        succeed("ip", "tuntap", "add", "dev", name.value(), "mode", "tap");
        succeed("ip", "link", "set", name.value(), "master", bridge.name().value());
        succeed("ip", "link", "set", name.value(), "up");
        return new Tap(name, Optional.of(bridge.name()));
    }

    /** Adds a persistent tap that is no port of any bridge, and brings it up. */
    public Tap addTap(InterfaceName name) {
        succeed("ip", "tuntap", "add", "dev", name.value(), "mode", "tap");
        succeed("ip", "link", "set", name.value(), "up");
        return new Tap(name, Optional.empty());
    }

    /** Sets an interface administratively up or down ({@code ip link set NAME up|down}). */
    public void setLink(InterfaceName name, boolean up) {
        succeed("ip", "link", "set", name.value(), up ? "up" : "down");
    }

    /**
     * Sockets created inside this namespace (started on first use, closed with the namespace).
     * Sockets already handed out keep working until their owner closes them.
     */
    public synchronized NamespacedSockets sockets() {
        checkOpen();
        if (sockets == null) {
            sockets = NamespacedSockets.enter(path(), timing);
        }
        return sockets;
    }

    /**
     * A libnftables context inside this namespace (started on first use, closed with the
     * namespace), or empty if this host has no libnftables; then run {@code nft} with
     * {@link #exec}.
     */
    public synchronized Optional<NamespacedNftables> nftables() {
        checkOpen();
        if (!NamespacedNftables.available()) {
            return Optional.empty();
        }
        if (nftables == null) {
            nftables = NamespacedNftables.enter(path(), timing);
        }
        return Optional.of(nftables);
    }

    /** Pids of the processes inside the namespace ({@code ip netns pids}). */
    public List<Long> pids() {
        return pidsIn(name, host);
    }

    /**
     * Kills every process still inside (SIGKILL, waiting until they are gone), stops the sockets
     * thread and deletes the namespace, which removes every bridge and tap in it. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (sockets != null) {
            sockets.close();
        }
        if (nftables != null) {
            nftables.close();
        }
        delete(name, timing);
        LOG.debug("deleted network namespace {}", name);
    }

    /**
     * Deletes a namespace by name, as {@link #close()} does: used by the reaper for what a dead
     * run left. Does nothing if it does not exist. {@code timing} scales its bounds.
     */
    public static void delete(String name, Timing timing) {
        checkName(name);
        if (!exists(name)) {
            return;
        }
        Commands host = Commands.with(timing);
        List<ProcessIdentity> inside = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        for (long pid : pidsIn(name, host)) {
            if (pid == self) {
                continue; // never: the JVM itself stays in the host namespace, only threads move
            }
            ProcessIdentity.of(pid).ifPresent(inside::add);
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        if (!inside.isEmpty()) {
            LOG.warn(
                    "killed {} process(es) still inside network namespace {}: pids {}",
                    inside.size(),
                    name,
                    inside.stream().map(ProcessIdentity::pid).toList());
            Wait.forCondition("processes " + inside + " in namespace " + name + " to die after SIGKILL")
                    .atMost(Duration.ofSeconds(10))
                    .timing(timing)
                    .untilTrue(() -> inside.stream().noneMatch(ProcessIdentity::isAlive));
        }
        host.succeed(COMMAND_TIMEOUT, "ip", "netns", "del", name);
    }

    /** Whether {@code /run/netns/NAME} exists. */
    public static boolean exists(String name) {
        return Files.exists(path(name));
    }

    /** Names of the namespaces under {@code /run/netns} that start with {@link #PREFIX}. */
    public static List<String> listVmclusterNamespaces(Timing timing) {
        String out = Commands.with(timing)
                .succeed(COMMAND_TIMEOUT, "ip", "netns", "list")
                .stdoutText();
        List<String> names = new ArrayList<>();
        for (String line : out.split("\n")) {
            String n = line.strip().split("\\s+")[0];
            if (n.startsWith(PREFIX)) {
                names.add(n);
            }
        }
        return names;
    }

    @Override
    public String toString() {
        return "NetworkNamespace[" + name + "]";
    }

    private static List<Long> pidsIn(String name, Commands host) {
        CommandResult r = host.run(COMMAND_TIMEOUT, "ip", "netns", "pids", name);
        List<Long> pids = new ArrayList<>();
        if (!r.succeeded()) {
            return pids;
        }
        for (String line : r.stdoutText().split("\n")) {
            if (!line.isBlank()) {
                pids.add(Long.parseLong(line.strip()));
            }
        }
        return pids;
    }

    private static void checkName(String name) {
        if (name == null || !VALID_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "'" + name + "' is not a valid namespace name: use 1 to 64 of letters, digits, '_', '.', '-'");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }
}
