package io.vmcluster.cluster;

import io.vmcluster.network.TestHost;
import io.vmcluster.qemu.Accelerator;
import java.nio.file.Files;
import java.nio.file.Path;

/** Shared setup of the cluster ITs: TCG, results under target/it-results. */
final class TestClusters {
    private TestClusters() {}

    /** Root with namespaces and QEMU installed: what booting a cluster needs. */
    static boolean canBootClusters() {
        return TestHost.canManageNamespaces()
                && Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64"))
                && Files.isExecutable(Path.of("/usr/bin/qemu-img"));
    }

    static RunOptions options(String testName) {
        return RunOptions.defaults()
                .withAccelerator(Accelerator.TCG)
                .withResultsDir(Path.of("target", "it-results", testName + "-" + System.currentTimeMillis())
                        .toAbsolutePath());
    }
}
