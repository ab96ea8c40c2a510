package io.vmcluster.junit5;

import io.vmcluster.qemu.Accelerator;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Boots one cluster of real QEMU VMs for the annotated test class, before its first test, and
 * stops it after its last one, removing everything it made (also when tests or the boot fail).
 * Test methods, lifecycle methods and constructors get it injected by type:
 *
 * <ul>
 *   <li>{@link io.vmcluster.cluster.Cluster} — the running cluster;
 *   <li>{@link io.vmcluster.cluster.Node} — a node, chosen by the parameter's name ({@code Node
 *       node1}; the class must be compiled with {@code -parameters}) or by {@link NodeName};
 *   <li>{@link io.vmcluster.fault.Faults} — the cluster's fault API; every fault still open when a
 *       test ends is undone before the next test;
 *   <li>a {@link java.nio.file.Path} annotated {@link ResultsDir} — this class's results directory.
 * </ul>
 *
 * <p>Where the cluster comes from: {@link #file()}, else {@link #spec()}, else the one static
 * field or static no-argument method of the class whose type is {@link
 * io.vmcluster.cluster.spec.ClusterSpec}.
 *
 * <pre>{@code
 * @VmCluster(file = "src/test/resources/etcd-3.yaml")
 * class ReplicationIT {
 *     @Test
 *     void aWriteIsReadEverywhere(Node node1, Node node3) {
 *         node1.succeed("etcdctl put greeting hello");
 *         node3.waitUntilSucceeds("etcdctl get greeting | grep -x hello", Duration.ofSeconds(30));
 *     }
 * }
 * }</pre>
 *
 * <p>Each test class gets its own cluster, network namespace and results directory, so classes
 * may run in parallel. On a failed test the failure carries the results path and the tail of
 * every node's serial log and console transcript. See docs/junit5.md.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(VmClusterExtension.class)
public @interface VmCluster {
    /**
     * A cluster file (docs/clusters.md), relative to the working directory (under Maven: the
     * module's directory). Empty: the cluster comes from {@link #spec()}.
     */
    String file() default "";

    /**
     * The name of a static field or static no-argument method of the test class that gives the
     * {@link io.vmcluster.cluster.spec.ClusterSpec}. Empty (and no {@link #file()}): the class's
     * only static member of that type.
     */
    String spec() default "";

    /** How the guests run: AUTO uses KVM when it works and falls back to TCG. */
    Accelerator accel() default Accelerator.AUTO;
}
