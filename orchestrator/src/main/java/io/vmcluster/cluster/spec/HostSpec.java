package io.vmcluster.cluster.spec;

import io.vmcluster.network.Ipv4Address;
import java.util.Objects;

/**
 * A machine that runs some of a cluster's nodes (docs/scale-out.md, "One cluster over several
 * hosts"): vmcluster reaches it over SSH, runs its agent there, and joins its bridges to the
 * other hosts' with VXLAN from {@code vxlanEndpoint}.
 *
 * @param name the host's name in the cluster file ({@code h1}); a node's {@code host:} names it
 * @param ssh where its SSH server is
 * @param vxlanEndpoint the host's own address that its VXLAN tunnels use as their local end (and
 *     the other hosts send to): {@code vxlan:} in the file, else the SSH address when that is an
 *     IPv4 address
 */
public record HostSpec(String name, SshTarget ssh, Ipv4Address vxlanEndpoint) {
    public HostSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ssh, "ssh");
        Objects.requireNonNull(vxlanEndpoint, "vxlanEndpoint");
    }
}
