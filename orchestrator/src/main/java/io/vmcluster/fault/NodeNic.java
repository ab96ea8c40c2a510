package io.vmcluster.fault;

import io.vmcluster.network.InterfaceName;
import io.vmcluster.network.Ipv4Address;
import io.vmcluster.network.MacAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One NIC of a node as faults see it.
 *
 * @param nicId the QMP id of the NIC device (what {@code set_link} takes)
 * @param netdevId the QMP id of its netdev (what {@code filter-dump} attaches to)
 * @param tap the host tap device in the cluster's namespace, the bridge port the NIC is plugged into
 * @param mac the NIC's MAC address (printed lower case, {@code 52:54:00:12:34:02}); finds the device in the guest
 * @param ipv4 the guest's IPv4 address on this NIC without prefix, if it has one
 */
public record NodeNic(String nicId, String netdevId, InterfaceName tap, MacAddress mac, Optional<Ipv4Address> ipv4) {
    public NodeNic {
        Objects.requireNonNull(nicId, "nicId");
        Objects.requireNonNull(netdevId, "netdevId");
        Objects.requireNonNull(tap, "tap");
        Objects.requireNonNull(mac, "mac");
        ipv4 = ipv4 == null ? Optional.empty() : ipv4;
    }
}
