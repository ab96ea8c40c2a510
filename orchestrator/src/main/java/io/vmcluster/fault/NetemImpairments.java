package io.vmcluster.fault;

import io.vmcluster.command.CommandResult;
import io.vmcluster.command.ShellQuote;
import io.vmcluster.network.Ipv4Address;
import io.vmcluster.resource.Closer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Puts impairments in place with tc netem, on the host taps when the host kernel has sch_netem,
 * otherwise on the guest's NIC over its shell. Every device's qdisc tree is rebuilt from the
 * impairments open on it (see {@link TcTree}), so they undo cleanly in any order.
 *
 * <p>Host side, a tap's egress is what the bridge sends into the guest, so an impairment of
 * what {@code a} sends is put on the taps of the receivers, filtered on {@code a}'s address.
 * Guest side, it sits on {@code a}'s own NIC, filtered on the receiver's address.
 */
final class NetemImpairments {
    private static final Duration TC_TIMEOUT = Duration.ofSeconds(30);
    private static final String PROBE_DEVICE = "vmcnetemprobe";

    /** Where a qdisc tree lives: a host tap, or a guest NIC found by MAC. */
    record Location(boolean host, String node, String device) {}

    private final FaultCluster cluster;
    private final Map<String, Map<Location, List<TcTree.Entry>>> byFault = new LinkedHashMap<>();
    private String hostNetemProblem; // null: not probed yet; "": works
    private boolean probed;

    NetemImpairments(FaultCluster cluster) {
        this.cluster = cluster;
    }

    /**
     * Probes once whether tc netem works in the cluster's namespace, on a dummy device of its own.
     *
     * @return empty if it works, else what went wrong (the kernel's words)
     */
    synchronized Optional<String> hostNetemProblem() {
        if (!probed) {
            String script = "ip link add " + PROBE_DEVICE + " type dummy || exit 90; "
                    + "tc qdisc add dev " + PROBE_DEVICE + " root netem delay 1ms; rc=$?; "
                    + "ip link del " + PROBE_DEVICE + "; exit $rc";
            CommandResult r = cluster.namespace().exec(List.of("sh", "-c", script), "", TC_TIMEOUT);
            hostNetemProblem = r.succeeded()
                    ? ""
                    : "tc netem on a dummy device in the cluster's namespace failed: " + r.evidence();
            probed = true;
        }
        return hostNetemProblem.isEmpty() ? Optional.empty() : Optional.of(hostNetemProblem);
    }

    /** Resolves {@link ImpairmentMethod#AUTO} for this host. */
    ImpairmentMethod choose(ImpairmentMethod wanted, String target) {
        if (wanted == ImpairmentMethod.AUTO) {
            return hostNetemProblem().isEmpty() ? ImpairmentMethod.HOST_NETEM : ImpairmentMethod.GUEST_NETEM;
        }
        if (wanted == ImpairmentMethod.HOST_NETEM) {
            hostNetemProblem().ifPresent(problem -> {
                throw new FaultException(
                        FaultKind.IMPAIRMENT,
                        target,
                        "the host-netem method was asked for, but "
                                + problem + ". The host kernel lacks sch_netem; use the guest-netem method (the "
                                + "image ships tc with netem) or AUTO");
            });
        }
        return wanted;
    }

    /** Applies the impairment with a resolved method (not AUTO). */
    synchronized void add(String faultId, ImpairmentTarget target, Impairment impairment, ImpairmentMethod method) {
        Map<Location, List<TcTree.Entry>> entries = method == ImpairmentMethod.HOST_NETEM
                ? hostEntries(target, impairment)
                : guestEntries(target, impairment);
        byFault.put(faultId, entries);
        try {
            for (Location loc : entries.keySet()) {
                write(loc, target.toString());
            }
        } catch (RuntimeException e) {
            byFault.remove(faultId);
            Closer rollback = new Closer().add(e);
            for (Location loc : entries.keySet()) {
                rollback.run(() -> write(loc, target.toString()));
            }
            rollback.throwIfFailed();
            throw e;
        }
    }

    synchronized void remove(String faultId, String target) {
        Map<Location, List<TcTree.Entry>> entries = byFault.remove(faultId);
        if (entries != null) {
            for (Location loc : entries.keySet()) {
                write(loc, target);
            }
        }
    }

    /** Writes every guest-side tree of {@code node} again (after it booted: its qdiscs are gone). */
    synchronized void rewriteGuest(String node) {
        Set<Location> locations = new LinkedHashSet<>();
        for (Map<Location, List<TcTree.Entry>> m : byFault.values()) {
            for (Location loc : m.keySet()) {
                if (!loc.host() && loc.node().equals(node)) locations.add(loc);
            }
        }
        for (Location loc : locations) {
            write(loc, node);
        }
    }

    private Map<Location, List<TcTree.Entry>> guestEntries(ImpairmentTarget target, Impairment impairment) {
        FaultTarget from = cluster.node(target.from());
        if (from.nics().isEmpty()) {
            throw new FaultException(FaultKind.IMPAIRMENT, target.toString(), "node " + from.name() + " has no NIC");
        }
        List<Optional<TcTree.Match>> matches = matches("dst", target.to(), target);
        Map<Location, List<TcTree.Entry>> out = new LinkedHashMap<>();
        for (NodeNic nic : from.nics()) {
            Location loc = new Location(false, from.name(), nic.mac().toString());
            for (Optional<TcTree.Match> m : matches) {
                out.computeIfAbsent(loc, k -> new ArrayList<>()).add(new TcTree.Entry(impairment, m));
            }
        }
        return out;
    }

    private Map<Location, List<TcTree.Entry>> hostEntries(ImpairmentTarget target, Impairment impairment) {
        FaultTarget from = cluster.node(target.from());
        List<Optional<TcTree.Match>> matches = matches("src", Optional.of(from.name()), target);
        List<FaultTarget> receivers = target.to().isPresent()
                ? List.of(cluster.node(target.to().get()))
                : cluster.nodes().stream()
                        .filter(n -> !n.name().equals(from.name()))
                        .toList();
        Map<Location, List<TcTree.Entry>> out = new LinkedHashMap<>();
        for (FaultTarget receiver : receivers) {
            for (NodeNic nic : receiver.nics()) {
                Location loc = new Location(true, receiver.name(), nic.tap().value());
                for (Optional<TcTree.Match> m : matches) {
                    out.computeIfAbsent(loc, k -> new ArrayList<>()).add(new TcTree.Entry(impairment, m));
                }
            }
        }
        return out;
    }

    /** One match per IPv4 address of {@code node}, or one catch-all if no node is given. */
    private List<Optional<TcTree.Match>> matches(String field, Optional<String> node, ImpairmentTarget target) {
        if (node.isEmpty()) {
            return List.of(Optional.empty());
        }
        Set<Ipv4Address> ips = new LinkedHashSet<>();
        for (NodeNic nic : cluster.node(node.get()).nics()) {
            nic.ipv4().ifPresent(ips::add);
        }
        if (ips.isEmpty()) {
            throw new FaultException(
                    FaultKind.IMPAIRMENT,
                    target.toString(),
                    "node " + node.get() + " has no IPv4 address to filter on");
        }
        return ips.stream().map(ip -> Optional.of(new TcTree.Match(field, ip))).toList();
    }

    private void write(Location loc, String target) {
        List<TcTree.Entry> entries = new ArrayList<>();
        for (Map<Location, List<TcTree.Entry>> m : byFault.values()) {
            entries.addAll(m.getOrDefault(loc, List.of()));
        }
        if (loc.host()) {
            writeHost(loc, entries, target);
        } else {
            writeGuest(loc, entries, target);
        }
    }

    private void writeHost(Location loc, List<TcTree.Entry> entries, String target) {
        HostNamespace ns = cluster.namespace();
        ns.exec(List.of("tc", "qdisc", "del", "dev", loc.device(), "root"), "", TC_TIMEOUT); // none is fine
        List<String> lines = TcTree.build(loc.device(), entries);
        if (!lines.isEmpty()) {
            CommandResult r = ns.exec(List.of("tc", "-batch", "-"), String.join("\n", lines) + "\n", TC_TIMEOUT);
            if (!r.succeeded()) {
                ns.exec(List.of("tc", "qdisc", "del", "dev", loc.device(), "root"), "", TC_TIMEOUT);
                throw new FaultException(
                        FaultKind.IMPAIRMENT,
                        target,
                        "tc on host tap " + loc.device() + " of " + loc.node() + " failed (" + r.evidence()
                                + "); commands were:\n" + String.join("\n", lines));
            }
        }
    }

    private void writeGuest(Location loc, List<TcTree.Entry> entries, String target) {
        String script = guestScript(loc.device(), entries);
        CommandResult r = cluster.node(loc.node()).exec(script, TC_TIMEOUT);
        if (!r.succeeded()) {
            throw new FaultException(
                    FaultKind.IMPAIRMENT,
                    target,
                    "tc in the guest " + loc.node() + " failed (" + r.evidence() + "); script was:\n" + script);
        }
    }

    /** The guest script: find the NIC by MAC, drop its root qdisc, build the tree. */
    static String guestScript(String mac, List<TcTree.Entry> entries) {
        StringBuilder sb = new StringBuilder();
        sb.append("d=; for f in /sys/class/net/*/address; do [ \"$(cat $f)\" = ")
                .append(ShellQuote.quote(mac))
                .append(" ] && d=${f%/address} && d=${d##*/}; done; ");
        sb.append("[ -n \"$d\" ] || { echo 'no NIC with MAC ").append(mac).append("' >&2; exit 2; }; ");
        // A busybox shell built standalone runs its own (netem-less) tc applet before PATH: use the
        // first real tc binary on the usual paths.
        sb.append("t=tc; for c in /usr/sbin/tc /sbin/tc /usr/bin/tc /bin/tc; do ")
                .append("[ -f \"$c\" ] && [ ! -L \"$c\" ] && t=$c && break; done; ");
        sb.append("$t ").append(TcTree.deleteRoot("$d")).append(" 2>/dev/null; ");
        List<String> lines = TcTree.build("$d", entries);
        sb.append(
                lines.isEmpty()
                        ? "true"
                        : String.join(" && ", lines.stream().map(l -> "$t " + l).toList()));
        return sb.toString();
    }
}
