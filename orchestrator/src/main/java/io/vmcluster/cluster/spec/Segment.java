package io.vmcluster.cluster.spec;

import io.vmcluster.network.Ipv4Address;
import io.vmcluster.network.Ipv4Subnet;
import java.util.List;
import java.util.Optional;

/**
 * One layer-2 segment the network builds: a bridge with the taps of its NICs. A LAN gives one, a
 * point-to-point link gives one with two ports.
 *
 * @param name LAN name, or {@code a--b} for a link
 * @param kind LAN or link
 * @param number 1-based number among all segments (LANs first); appears in MACs and bridge names
 * @param bridgeName bridge interface in the cluster's namespace
 * @param subnet address range
 * @param hostAddress address of the host side of the bridge (LANs only)
 * @param nics the ports, in node order
 */
public record Segment(
        String name,
        Kind kind,
        int number,
        String bridgeName,
        Ipv4Subnet subnet,
        Optional<Ipv4Address> hostAddress,
        List<NicSpec> nics) {
    public Segment {
        nics = List.copyOf(nics);
    }

    public enum Kind {
        LAN,
        LINK
    }
}
