package io.vmcluster.junit5;

import io.vmcluster.cluster.spec.ClusterSpec;
import io.vmcluster.qemu.Accelerator;
import java.nio.file.Path;

/**
 * Boots the cluster of one test class. {@link RealBooter} boots QEMU VMs; the extension's own
 * tests put a recording stand-in here (configuration parameter {@value
 * VmClusterExtension#BOOTER_PARAMETER}) to check the lifecycle without VMs.
 */
interface ClusterBooter {
    /**
     * Returns when every node is ready. On failure nothing it started is left running.
     *
     * @param resultsDir the test class's results directory, already created
     */
    BootedCluster boot(ClusterSpec spec, Accelerator accel, Path resultsDir);
}
