package io.vmcluster.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.network.Bridge;
import io.vmcluster.network.InterfaceName;
import io.vmcluster.network.IpPrefix;
import io.vmcluster.network.Ipv4Address;
import io.vmcluster.network.NetworkNamespace;
import io.vmcluster.network.TestHost;
import io.vmcluster.process.CommandRunner;
import io.vmcluster.time.Timing;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Two "hosts" (network namespaces joined by a veth pair, 10.99.0.1 and .2), each with a run
 * namespace whose br-lan has its own address: after the join, the bridges reach each other over
 * VXLAN, the tunnel devices are in the run namespaces only, and the host namespaces hold nothing
 * new but the UDP socket (gone with the run namespace).
 */
@EnabledIf("io.vmcluster.network.TestHost#canManageNamespaces")
class VxlanJoinIT {
    private final Timing timing = Timing.standard();

    @Test
    void twoBridgesOnTwoHostsBecomeOneLan() {
        try (TestHosts hosts = TestHosts.create(2, timing);
                NetworkNamespace run1 = NetworkNamespace.create(TestHost.uniqueNamespaceName("r1"), timing);
                NetworkNamespace run2 = NetworkNamespace.create(TestHost.uniqueNamespaceName("r2"), timing)) {
            Bridge b1 = run1.addBridge(InterfaceName.bridge("lan"), IpPrefix.parse("192.168.1.254/24"));
            Bridge b2 = run2.addBridge(InterfaceName.bridge("lan"), IpPrefix.parse("192.168.1.253/24"));
            assertThat(run1.exec("busybox", "ping", "-c1", "-W1", "192.168.1.253")
                            .succeeded())
                    .as("not joined yet")
                    .isFalse();

            new VxlanJoin(b1.name(), 4242, hosts.address(0), List.of(hosts.address(1))).apply(run1, hosts.commands(0));
            new VxlanJoin(b2.name(), 4242, hosts.address(1), List.of(hosts.address(0))).apply(run2, hosts.commands(1));

            assertThat(run1.exec("busybox", "ping", "-c2", "-W2", "192.168.1.253")
                            .succeeded())
                    .as("br-lan on host 1 reaches br-lan on host 2 across the tunnel")
                    .isTrue();
            assertThat(run2.exec("busybox", "ping", "-c1", "-W2", "-s", "1472", "192.168.1.254")
                            .succeeded())
                    .as("a full 1500-byte frame crosses (the underlay carries 1550)")
                    .isTrue();
            assertThat(run1.succeed("ip", "-o", "link", "show", "vx-lan").stdoutText())
                    .contains("master br-lan");
            for (int i = 0; i < 2; i++) {
                assertThat(hosts.ns(i).succeed("ip", "-o", "link").stdoutText())
                        .as("the tunnel device is not in the host's namespace")
                        .doesNotContain("vx-");
            }
        }
    }

    /** N hosts on one underlay switch (a bridge in a namespace of its own), 10.99.0.(i+1)/24 each. */
    static final class TestHosts implements AutoCloseable {
        private final NetworkNamespace underlay;
        private final List<NetworkNamespace> hosts;

        private TestHosts(NetworkNamespace underlay, List<NetworkNamespace> hosts) {
            this.underlay = underlay;
            this.hosts = hosts;
        }

        static TestHosts create(int n, Timing timing) {
            NetworkNamespace sw = NetworkNamespace.create(TestHost.uniqueNamespaceName("sw"), timing);
            List<NetworkNamespace> made = new java.util.ArrayList<>();
            try {
                sw.addBridge(InterfaceName.of("br-under"), IpPrefix.parse("10.99.0.254/24"));
                for (int i = 0; i < n; i++) {
                    NetworkNamespace h = NetworkNamespace.create(TestHost.uniqueNamespaceName("h" + (i + 1)), timing);
                    made.add(h);
                    String outer = "u" + (i + 1);
                    sw.succeed(
                            "ip", "link", "add", outer, "mtu", "9000", "type", "veth", "peer", "name", "eth0", "mtu",
                            "9000", "netns", h.name());
                    sw.succeed("ip", "link", "set", outer, "master", "br-under", "up");
                    h.succeed("ip", "addr", "add", "10.99.0." + (i + 1) + "/24", "dev", "eth0");
                    h.succeed("ip", "link", "set", "eth0", "up");
                }
                sw.succeed("ip", "link", "set", "br-under", "mtu", "9000");
            } catch (RuntimeException e) {
                made.forEach(NetworkNamespace::close);
                sw.close();
                throw e;
            }
            return new TestHosts(sw, List.copyOf(made));
        }

        NetworkNamespace ns(int i) {
            return hosts.get(i);
        }

        NetworkNamespace underlay() {
            return underlay;
        }

        Ipv4Address address(int i) {
            return Ipv4Address.parse("10.99.0." + (i + 1));
        }

        /** Runs commands in host i's namespace, as its agent would in its own. */
        CommandRunner commands(int i) {
            return (argv, stdin, timeout) -> hosts.get(i).exec(argv, stdin, timeout);
        }

        @Override
        public void close() {
            hosts.forEach(NetworkNamespace::close);
            underlay.close();
        }
    }
}
