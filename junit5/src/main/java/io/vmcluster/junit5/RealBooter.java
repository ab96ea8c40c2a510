package io.vmcluster.junit5;

import io.vmcluster.cluster.Cluster;
import io.vmcluster.cluster.Node;
import io.vmcluster.cluster.RunOptions;
import io.vmcluster.cluster.SnapshotName;
import io.vmcluster.cluster.spec.ClusterSpec;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.report.LogTails;
import io.vmcluster.report.ResultsDirectory;
import io.vmcluster.scenario.run.RealCluster;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Boots real VMs and holds them through the scenario runner's own seam ({@link RealCluster}):
 * {@link Cluster#start}, the fault API of {@code ClusterFaults.of}, {@link RealCluster#healAll()}
 * after each test. Results and events go to the class's results directory.
 */
final class RealBooter implements ClusterBooter {
    @Override
    public BootedCluster boot(ClusterSpec spec, Accelerator accel, Path resultsDir) {
        RunOptions options = RunOptions.defaults().withAccelerator(accel).withResultsDir(resultsDir);
        return new Booted(RealCluster.of(Cluster.start(spec, options), options.timing()));
    }

    private record Booted(RealCluster real) implements BootedCluster {
        @Override
        public List<Object> byType() {
            return List.of(real.cluster(), real.faults());
        }

        @Override
        public Map<String, Object> byName() {
            Map<String, Object> nodes = new LinkedHashMap<>();
            for (Node n : real.cluster().nodes()) {
                nodes.put(n.name(), n);
            }
            return nodes;
        }

        @Override
        public void afterTest() {
            real.healAll(); // every fault still open, newest first
        }

        @Override
        public void snapshot(String name) {
            real.snapshot(new SnapshotName(name));
        }

        @Override
        public void restore(String name) {
            real.restore(new SnapshotName(name)); // heals what is still open first
        }

        @Override
        public String logTails(String test) {
            Cluster cluster = real.cluster();
            return new LogTails(
                            new ResultsDirectory(cluster.runDir()),
                            cluster.spec().nodeNames())
                    .forFailedTest(test);
        }

        @Override
        public void close() {
            real.close();
        }
    }
}
