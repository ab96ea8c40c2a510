package io.vmcluster.fault;

import io.vmcluster.cluster.faults.NamespaceHost;
import io.vmcluster.command.CommandResult;
import io.vmcluster.network.InterfaceName;
import io.vmcluster.network.Ipv4Address;
import io.vmcluster.network.MacAddress;
import io.vmcluster.network.NetworkNamespace;
import io.vmcluster.time.Timing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A cluster of stand-in nodes for tests of the network faults without VMs: a cluster namespace
 * with a bridge, and one namespace per node plugged into it by a veth pair whose bridge end is
 * the node's "tap". The node's "guest shell" is a real shell in its namespace. Everything is
 * removed on close.
 */
final class NamespaceNodes implements AutoCloseable {
    static final String BUSYBOX = "/bin/busybox";

    final NetworkNamespace cluster;
    final List<NetworkNamespace> nodeNamespaces = new ArrayList<>();
    final List<FaultTarget> targets = new ArrayList<>();
    final String prefix;

    NamespaceNodes(int count) {
        prefix = "vmc-ft" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime() & 0xffff);
        cluster = NetworkNamespace.create(prefix, Timing.standard());
        try {
            cluster.succeed("ip", "link", "add", "br0", "type", "bridge", "stp_state", "0", "forward_delay", "0");
            cluster.succeed("ip", "link", "set", "br0", "up");
            for (int i = 1; i <= count; i++) {
                NetworkNamespace ns = NetworkNamespace.create(prefix + "-n" + i, Timing.standard());
                nodeNamespaces.add(ns);
                String tap = "vt" + i;
                cluster.succeed("ip", "link", "add", tap, "type", "veth", "peer", "name", "eth0", "netns", ns.name());
                cluster.succeed("ip", "link", "set", tap, "master", "br0", "up");
                String ip = "192.168.1." + (10 + i);
                ns.succeed("ip", "addr", "add", ip + "/24", "dev", "eth0");
                ns.succeed("ip", "link", "set", "eth0", "up");
                String mac = ns.succeed("cat", "/sys/class/net/eth0/address")
                        .stdoutText()
                        .strip();
                targets.add(target(
                        "node" + i,
                        ns,
                        new NodeNic(
                                "nic0",
                                "net0",
                                InterfaceName.of(tap),
                                MacAddress.parse(mac),
                                Optional.of(Ipv4Address.parse(ip)))));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    FaultCluster faultCluster(Path runDir) {
        return new FaultCluster("t" + ProcessHandle.current().pid(), targets, new NamespaceHost(cluster), runDir);
    }

    NetworkNamespace ns(String node) {
        return nodeNamespaces.get(Integer.parseInt(node.substring(4)) - 1);
    }

    String ip(String node) {
        return "192.168.1." + (10 + Integer.parseInt(node.substring(4)));
    }

    /** One ping with a 1 s bound: true if the reply came back. */
    boolean ping(String from, String to) {
        return ns(from).exec(List.of(BUSYBOX, "ping", "-c1", "-W1", ip(to)), Duration.ofSeconds(10))
                .succeeded();
    }

    /** ICMP echo requests the node's kernel has received so far (/proc/net/snmp Icmp InEchos). */
    long echoRequestsReceived(String node) {
        String snmp = ns(node).succeed("cat", "/proc/net/snmp").stdoutText();
        String[] icmp =
                snmp.lines().filter(l -> l.startsWith("Icmp: ")).toList().get(1).split("\\s+");
        return Long.parseLong(icmp[9]);
    }

    private static FaultTarget target(String name, NetworkNamespace ns, NodeNic nic) {
        return new FaultTarget() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<NodeNic> nics() {
                return List.of(nic);
            }

            @Override
            public QmpPort qmp() {
                throw new UnsupportedOperationException("stand-in node " + name + " has no QMP");
            }

            @Override
            public CommandResult exec(String command, Duration timeout) {
                return ns.exec(List.of("sh", "-c", command), timeout);
            }

            @Override
            public NodeLifecycle lifecycle() {
                throw new UnsupportedOperationException("stand-in node " + name + " has no lifecycle");
            }

            @Override
            public Optional<DataDisk> dataDisk() {
                return Optional.empty();
            }
        };
    }

    static boolean available() {
        return Files.isExecutable(Path.of(BUSYBOX))
                && Files.isExecutable(Path.of("/usr/sbin/nft"))
                && ProcessHandle.current().info().user().orElse("").equals("root");
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (AutoCloseable c : reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = new IllegalStateException("cleanup of " + prefix + " failed", e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private List<AutoCloseable> reversed() {
        List<AutoCloseable> all = new ArrayList<>(nodeNamespaces);
        all.add(0, cluster);
        java.util.Collections.reverse(all);
        return all;
    }
}
