package io.vmcluster.junit5;

import io.vmcluster.cluster.Cluster;
import io.vmcluster.cluster.Node;
import io.vmcluster.cluster.RunOptions;
import io.vmcluster.cluster.faults.ClusterFaults;
import io.vmcluster.cluster.spec.ClusterSpec;
import io.vmcluster.fault.Faults;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.report.LogTails;
import io.vmcluster.report.ResultsDirectory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Boots real VMs with the same calls the scenario runner makes ({@link Cluster#start}, {@link
 * ClusterFaults#of}): results and events in the class's results directory.
 */
final class RealBooter implements ClusterBooter {
    @Override
    public BootedCluster boot(ClusterSpec spec, Accelerator accel, Path resultsDir) {
        Cluster cluster =
                Cluster.start(spec, RunOptions.defaults().withAccelerator(accel).withResultsDir(resultsDir));
        try {
            return new Booted(cluster, ClusterFaults.of(cluster));
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    private record Booted(Cluster cluster, Faults faults) implements BootedCluster {
        @Override
        public List<Object> byType() {
            return List.of(cluster, faults);
        }

        @Override
        public Map<String, Object> byName() {
            Map<String, Object> nodes = new LinkedHashMap<>();
            for (Node n : cluster.nodes()) {
                nodes.put(n.name(), n);
            }
            return nodes;
        }

        @Override
        public void afterTest() {
            faults.close(); // undoes every open fault, newest first; stays usable
        }

        @Override
        public String logTails(String test) {
            return new LogTails(
                            new ResultsDirectory(cluster.runDir()),
                            cluster.spec().nodeNames())
                    .forFailedTest(test);
        }

        @Override
        public void close() {
            try {
                faults.close();
            } finally {
                cluster.close();
            }
        }
    }
}
