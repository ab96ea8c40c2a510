package io.vmcluster.network;

import java.util.Optional;

/**
 * A Linux bridge inside a {@link NetworkNamespace}: the switch of one LAN, or of a point-to-point
 * link (a bridge with exactly two taps and no host address). STP is off, so ports forward at once.
 *
 * @param name its interface name
 * @param hostAddress the address the namespace itself has on this network, e.g.
 *     {@code 192.168.1.254/24}; sockets from {@link NamespacedSockets} use it as their source
 */
public record Bridge(InterfaceName name, Optional<IpPrefix> hostAddress) {}
