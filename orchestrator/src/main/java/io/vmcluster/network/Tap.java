package io.vmcluster.network;

import java.util.Optional;

/**
 * A persistent tap device inside a {@link NetworkNamespace}, for one NIC of one VM. QEMU, started
 * in the same namespace, opens it by name ({@code -netdev tap,id=..,ifname=NAME,script=no,downscript=no}).
 *
 * @param name its interface name
 * @param bridge the bridge it is a port of; empty for a standalone tap
 */
public record Tap(InterfaceName name, Optional<InterfaceName> bridge) {}
