package io.vmcluster.cluster.faults;

import io.vmcluster.cluster.Cluster;
import io.vmcluster.cluster.Node;
import io.vmcluster.cluster.spec.NicSpec;
import io.vmcluster.cluster.spec.WanSpec;
import io.vmcluster.command.CommandResult;
import io.vmcluster.fault.DataDisk;
import io.vmcluster.fault.FaultCluster;
import io.vmcluster.fault.FaultTarget;
import io.vmcluster.fault.Faults;
import io.vmcluster.fault.Impairment;
import io.vmcluster.fault.ImpairmentTarget;
import io.vmcluster.fault.NodeLifecycle;
import io.vmcluster.fault.NodeNic;
import io.vmcluster.fault.QmpPort;
import io.vmcluster.network.InterfaceName;
import io.vmcluster.resource.Closer;
import io.vmcluster.time.Timing;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the {@link Faults} of a running {@link Cluster}: each {@link Node} seen through the
 * narrow {@link FaultTarget} view, the cluster's namespace as the {@link HostNamespace}, and the
 * cluster's event sink. The QMP client is looked up on every call, since a restart makes a new one.
 */
public final class ClusterFaults {
    private ClusterFaults() {}

    /**
     * The fault vocabulary of {@code cluster}; close it (or the cluster's owner) to undo what is
     * open. A cluster with regions gets its WAN put in place here (docs/clusters.md): the scenario
     * runner and the JUnit 5 extension make this at boot, before the first test. Every {@link
     * Cluster#restore} undoes its open faults first (not the WAN).
     */
    public static Faults of(Cluster cluster) {
        Faults faults = unwired(cluster);
        if (!cluster.spec().wan().isEmpty()) {
            try {
                faults.wan(routes(cluster.spec().wan()));
            } catch (RuntimeException e) {
                try {
                    faults.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
        return faults;
    }

    /** Each directed node pair a WAN impairs, as the fault API's targets. */
    public static Map<ImpairmentTarget, Impairment> routes(WanSpec wan) {
        Map<ImpairmentTarget, Impairment> out = new LinkedHashMap<>();
        for (WanSpec.Route r : wan.routes()) {
            out.put(ImpairmentTarget.pair(r.from(), r.to()), r.link().impairment());
        }
        return out;
    }

    private static Faults unwired(Cluster cluster) {
        List<FaultTarget> targets =
                cluster.nodes().stream().map(n -> target(n, cluster.timing())).toList();
        String id = cluster.runId().replaceAll("[^A-Za-z0-9_]", "_");
        if (id.length() > 40) {
            id = id.substring(id.length() - 40);
        }
        FaultCluster view = new FaultCluster(id, targets, new NamespaceHost(cluster.namespace()), cluster.runDir());
        Faults faults = new Faults(view, cluster.events());
        // a restore leaves none of its faults in effect (the WAN is topology, not a fault: it stays)
        cluster.beforeEveryRestore(() -> Closer.closeInReverse(faults.active()));
        return faults;
    }

    static FaultTarget target(Node node, Timing timing) {
        List<NodeNic> nics = node.nics().stream().map(ClusterFaults::nic).toList();
        boolean hasDisk = node.image().dataDisk() != null;
        NodeLifecycle lifecycle = new NodeLifecycle() {
            @Override
            public void pause() {
                node.pause();
            }

            @Override
            public void resume() {
                node.resume();
            }

            @Override
            public void crash() {
                node.crash();
            }

            @Override
            public void restart() {
                node.restart();
            }

            @Override
            public void reset() {
                node.reset();
            }

            @Override
            public void wipeDisk() {
                node.wipeDataDisk();
            }

            @Override
            public void shutdown() {
                node.shutdown();
            }

            @Override
            public void stopService(String service, Duration timeout) {
                node.stopService(service, timeout);
            }

            @Override
            public void startService(String service, Duration timeout) {
                node.startService(service, timeout);
            }
        };
        return new FaultTarget() {
            @Override
            public String name() {
                return node.name();
            }

            @Override
            public List<NodeNic> nics() {
                return nics;
            }

            @Override
            public QmpPort qmp() {
                return command -> new QmpClientPort(node.qmp(), timing).execute(command);
            }

            @Override
            public CommandResult exec(String command, Duration timeout) {
                return node.exec(command, timeout);
            }

            @Override
            public NodeLifecycle lifecycle() {
                return lifecycle;
            }

            @Override
            public Optional<DataDisk> dataDisk() {
                return hasDisk
                        ? Optional.of(new DataDisk(
                                // block_set_io_throttle finds a virtio-blk-pci's BlockBackend only
                                // through the virtio device inside the PCI proxy
                                "/machine/peripheral/" + node.dataDiskDevice() + "/virtio-backend",
                                node.dataDiskNode(),
                                node.dataDiskImageNode()))
                        : Optional.empty();
            }
        };
    }

    private static NodeNic nic(NicSpec nic) {
        return new NodeNic(
                nic.deviceId(), nic.netdevId(), InterfaceName.of(nic.tapName()), nic.mac(), Optional.of(nic.address()));
    }
}
