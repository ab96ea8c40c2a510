package io.vmcluster.junit5;

import io.vmcluster.cluster.spec.ClusterSpec;
import io.vmcluster.qemu.Accelerator;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link ClusterBooter} for the extension's own tests: no VMs, every call written to {@link
 * #LOG}. A cluster named {@code doomed} fails to boot; {@link #bootBarrier} makes boots meet.
 */
final class FakeBooter implements ClusterBooter {
    static final ConcurrentLinkedQueue<String> LOG = new ConcurrentLinkedQueue<>();
    /** When set, every boot waits here for the others: it passes only if the boots overlap. */
    static volatile CyclicBarrier bootBarrier;

    record FakeCluster(String name, Path resultsDir) {}

    record FakeNode(String name) {}

    @Override
    public BootedCluster boot(ClusterSpec spec, Accelerator accel, Path resultsDir) {
        CyclicBarrier barrier = bootBarrier;
        if (barrier != null) {
            try {
                barrier.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                throw new IllegalStateException("the boots did not overlap: " + e, e);
            }
        }
        if (spec.name().equals("doomed")) {
            LOG.add("boot failed " + spec.name());
            throw new IllegalStateException("node2 did not print its readiness line within 180 s");
        }
        LOG.add("boot " + spec.name() + " " + spec.nodeNames() + " in " + resultsDir.getFileName());
        FakeCluster cluster = new FakeCluster(spec.name(), resultsDir);
        Map<String, Object> nodes = new LinkedHashMap<>();
        spec.nodeNames().forEach(n -> nodes.put(n, new FakeNode(n)));
        return new BootedCluster() {
            @Override
            public List<Object> byType() {
                return List.of(cluster);
            }

            @Override
            public Map<String, Object> byName() {
                return nodes;
            }

            @Override
            public void afterTest() {
                LOG.add("undo faults " + spec.name());
            }

            @Override
            public void snapshot(String name) {
                LOG.add("snapshot " + name);
            }

            @Override
            public void restore(String name) {
                LOG.add("restore " + name);
            }

            @Override
            public String logTails(String test) {
                return "--- node1: last lines of serial.log ---\nVMC-READY node1\n";
            }

            @Override
            public void close() {
                LOG.add("close " + spec.name());
            }
        };
    }
}
