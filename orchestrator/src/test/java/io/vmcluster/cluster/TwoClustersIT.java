package io.vmcluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.cluster.spec.ClusterSpec;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Two clusters on the same subnet, MACs and interface names at once, started concurrently: each
 * node reaches its own cluster's peer at 192.168.1.12, never the other's.
 */
@EnabledIf("io.vmcluster.cluster.TestClusters#canBootClusters")
class TwoClustersIT {
    private static Cluster a;
    private static Cluster b;

    @BeforeAll
    static void boot() {
        CompletableFuture<Cluster> fa = CompletableFuture.supplyAsync(() -> start("a"));
        CompletableFuture<Cluster> fb = CompletableFuture.supplyAsync(() -> start("b"));
        try {
            a = fa.join();
        } finally {
            b = fb.join();
        }
    }

    private static Cluster start(String tag) {
        return Cluster.start(
                ClusterSpec.builder()
                        .name("two-" + tag)
                        .nodes(2)
                        .defaults(d -> d.param("tag", tag))
                        .build(),
                TestClusters.options("TwoClustersIT-" + tag));
    }

    @AfterAll
    static void stop() {
        try {
            if (a != null) {
                a.close();
            }
        } finally {
            if (b != null) {
                b.close();
            }
        }
    }

    @Test
    void eachClusterSeesOnlyItsOwnNodesOnTheSameSubnet() {
        assertThat(a.namespace().name()).isNotEqualTo(b.namespace().name());
        for (Cluster c : new Cluster[] {a, b}) {
            c.node("node2").succeed("setsid nc -ll -p 9000 -e cat /proc/cmdline </dev/null >/dev/null 2>&1 &");
            c.node("node2").waitForPort(9000);
        }
        String fromA =
                a.node("node1").succeed("nc 192.168.1.12 9000 </dev/null").stdoutText();
        String fromB =
                b.node("node1").succeed("nc 192.168.1.12 9000 </dev/null").stdoutText();
        assertThat(fromA).contains("vmc.name=node2", "vmc.tag=a").doesNotContain("vmc.tag=b");
        assertThat(fromB).contains("vmc.name=node2", "vmc.tag=b").doesNotContain("vmc.tag=a");
    }
}
