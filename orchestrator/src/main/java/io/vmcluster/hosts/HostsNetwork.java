package io.vmcluster.hosts;

import io.vmcluster.cluster.spec.ClusterSpec;
import io.vmcluster.cluster.spec.HostSpec;
import io.vmcluster.cluster.spec.NicSpec;
import io.vmcluster.cluster.spec.Segment;
import io.vmcluster.network.InterfaceName;
import io.vmcluster.network.Ipv4Address;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How a cluster's LANs and links span its hosts: a pure function of the spec. A segment whose
 * NICs are on more than one host gets one VXLAN tunnel on each of those hosts, VNI {@code vniBase
 * + segment number} (one VNI per LAN or link; the base is chosen per run so two runs between the
 * same hosts do not meet), pointing at the others; a segment on one host alone needs none.
 */
public final class HostsNetwork {
    private HostsNetwork() {}

    /** The tunnels {@code host} makes. */
    public static List<VxlanJoin> joins(ClusterSpec spec, String host, int vniBase) {
        HostSpec me = spec.placement().host(host).orElseThrow(() -> new IllegalArgumentException("no host " + host));
        List<VxlanJoin> joins = new ArrayList<>();
        for (Segment s : spec.segments()) {
            Set<String> hosts = new LinkedHashSet<>();
            for (NicSpec nic : s.nics()) {
                spec.placement().hostOf(nic.node()).ifPresent(h -> hosts.add(h.name()));
            }
            if (hosts.size() < 2 || !hosts.contains(host)) {
                continue;
            }
            List<Ipv4Address> peers = spec.placement().hosts().stream()
                    .filter(h -> hosts.contains(h.name()) && !h.name().equals(host))
                    .map(HostSpec::vxlanEndpoint)
                    .toList();
            joins.add(new VxlanJoin(
                    InterfaceName.of(s.bridgeName()), vni(vniBase, s.number()), me.vxlanEndpoint(), peers));
        }
        return joins;
    }

    /** {@code base + segment}, kept in the 24-bit VNI range. */
    static int vni(int base, int segment) {
        return 1 + Math.floorMod(base + segment - 1, 0xFFFFFF);
    }

    /** The index of {@code host} among the cluster's hosts (its bridges' address offset). */
    public static int index(ClusterSpec spec, String host) {
        List<HostSpec> hosts = spec.placement().hosts();
        for (int i = 0; i < hosts.size(); i++) {
            if (hosts.get(i).name().equals(host)) return i;
        }
        throw new IllegalArgumentException("no host " + host);
    }
}
