package io.vmcluster.junit5;

import io.vmcluster.cluster.spec.ClusterSpec;
import java.nio.file.Path;

/**
 * The cluster of a {@link VmCluster} test class did not come up; every test of the class fails
 * with it. The cause says which node and why (a {@link io.vmcluster.cluster.NodeBootException}
 * carries the node's serial and stderr tails); the logs stay in the results directory.
 */
public final class VmClusterBootException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path resultsDir;

    VmClusterBootException(Class<?> testClass, ClusterSpec spec, Path resultsDir, Throwable cause) {
        super(
                "the cluster '" + spec.name() + "' " + spec.nodeNames() + " of " + testClass.getName()
                        + " did not boot; its logs are in " + resultsDir + ": " + cause.getMessage(),
                cause);
        this.resultsDir = resultsDir;
    }

    /** The test class's results directory (node logs of the failed boot). */
    public Path resultsDir() {
        return resultsDir;
    }
}
