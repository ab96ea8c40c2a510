package io.vmcluster.cluster.spec;

import io.vmcluster.network.Ipv4Address;
import io.vmcluster.network.Ipv4Subnet;
import io.vmcluster.network.MacAddress;

/**
 * One network interface of a node, with everything derived from the definition: the names QEMU,
 * the network and fault injection use for it.
 *
 * @param node node name
 * @param index position among the node's NICs (0 is the guest's first NIC, eth0)
 * @param segment the LAN or link it is plugged into
 * @param mac guest MAC address
 * @param address guest address
 * @param deviceId QEMU device id (for {@code set_link}), {@code nic<index>}
 * @param netdevId QEMU netdev id, {@code net<index>}
 * @param tapName tap interface in the cluster's namespace
 */
public record NicSpec(
        String node,
        int index,
        String segment,
        MacAddress mac,
        Ipv4Address address,
        Ipv4Subnet subnet,
        String deviceId,
        String netdevId,
        String tapName) {

    /** {@code 192.168.1.11/24}. */
    public String cidr() {
        return address + "/" + subnet.prefixLength();
    }
}
