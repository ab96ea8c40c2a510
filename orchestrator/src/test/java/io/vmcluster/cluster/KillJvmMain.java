package io.vmcluster.cluster;

import io.vmcluster.cluster.spec.ClusterSpec;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Run by {@link KillJvmIT} in a child JVM: starts a one-node cluster, prints what it made, then
 * waits to be killed.
 */
public final class KillJvmMain {
    private KillJvmMain() {}

    public static void main(String[] args) throws Exception {
        Cluster cluster = Cluster.start(
                ClusterSpec.builder().name("killed").nodes(1).build(),
                TestClusters.options("KillJvmIT-child").withResultsDir(Path.of(args[0])));
        Node n = cluster.node("node1");
        System.out.println(
                "CLUSTER " + cluster.namespace().name() + " " + n.pid().orElseThrow() + " " + cluster.tempDir());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
