package io.vmcluster.cluster.spec;

import io.vmcluster.network.Ipv4Subnet;
import java.util.List;

/**
 * A LAN (one bridge) joining some nodes; node {@code i} gets host number {@code 10+i}, the host
 * side of the bridge the last usable address ({@code .254} in a /24).
 *
 * @param name name of the LAN, e.g. {@code lan}, {@code front}
 * @param subnet its address range
 * @param nodes names of the nodes with a NIC on it, in cluster order
 */
public record LanSpec(String name, Ipv4Subnet subnet, List<String> nodes) {
    public LanSpec {
        nodes = List.copyOf(nodes);
    }
}
