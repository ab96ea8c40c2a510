package io.vmcluster.hosts;

import io.vmcluster.command.CommandResult;
import io.vmcluster.network.InterfaceName;
import io.vmcluster.network.Ipv4Address;
import io.vmcluster.network.NetworkNamespace;
import io.vmcluster.process.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Joins one bridge of a run's namespace to the same bridge on the other hosts with a kernel
 * VXLAN tunnel: unicast (every peer's address given, no multicast group), one VNI per LAN or
 * link. The device is created by the host's own namespace straight into the run's ({@code ip link
 * add NAME netns RUN type vxlan ...}), so its UDP socket stays in the host's namespace, bound to
 * {@code local}, and the device itself never appears there; it goes with the run's namespace.
 * Frames to unknown or broadcast addresses go to every peer (one all-zero forwarding entry per
 * peer); the tunnel learns where each MAC is from what it receives.
 *
 * <p>The device's MTU is 1500, as the guests' NICs have, so the path between hosts must carry
 * 1550-byte datagrams (VXLAN adds 50 bytes); a smaller underlay MTU loses large frames.
 *
 * @param bridge the bridge to join ({@code br-lan})
 * @param vni the VXLAN network identifier of this LAN across hosts
 * @param local this host's VXLAN endpoint
 * @param peers the other hosts' endpoints that have nodes on this LAN
 */
public record VxlanJoin(InterfaceName bridge, int vni, Ipv4Address local, List<Ipv4Address> peers) {
    /** The IANA VXLAN port, on every host. */
    public static final int PORT = 4789;

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    public VxlanJoin {
        Objects.requireNonNull(bridge, "bridge");
        Objects.requireNonNull(local, "local");
        peers = List.copyOf(peers);
        if (vni < 1 || vni > 0xFFFFFF) {
            throw new IllegalArgumentException("VNI " + vni + " is out of range (1..16777215)");
        }
    }

    /** The tunnel device in the run's namespace: {@code vx-} and the bridge's network name. */
    public InterfaceName device() {
        String net = bridge.value().startsWith("br-") ? bridge.value().substring(3) : bridge.value();
        return InterfaceName.of(InterfaceName.bridge(net).value().replaceFirst("^br-", "vx-"));
    }

    /**
     * Creates the tunnel into {@code run} from the host's namespace ({@code host} runs commands
     * there), makes it a port of the bridge and points it at every peer.
     *
     * @throws io.vmcluster.command.CommandFailedException the kernel refused (e.g. another tunnel of
     *     this VNI on this port, no vxlan module)
     */
    public void apply(NetworkNamespace run, CommandRunner host) {
        String dev = device().value();
        List<String> add = new ArrayList<>(
                List.of("ip", "link", "add", dev, "netns", run.name(), "type", "vxlan", "id", Integer.toString(vni)));
        add.addAll(List.of("local", local.toString(), "dstport", Integer.toString(PORT)));
        host.run(add, TIMEOUT).orThrow();
        run.succeed("ip", "link", "set", dev, "mtu", "1500");
        run.succeed("ip", "link", "set", dev, "master", bridge.value());
        run.succeed("ip", "link", "set", dev, "up");
        for (Ipv4Address peer : peers) {
            CommandResult r =
                    run.exec("bridge", "fdb", "append", "00:00:00:00:00:00", "dev", dev, "dst", peer.toString());
            r.orThrow();
        }
    }
}
