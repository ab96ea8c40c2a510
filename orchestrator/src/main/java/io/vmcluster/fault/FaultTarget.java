package io.vmcluster.fault;

import io.vmcluster.command.CommandResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The narrow view of one node that faults need: its name, its NICs, its QMP monitor, a command line
 * in the guest, its lifecycle and its data disk. The cluster's {@code Node} satisfies it through an
 * adapter, which keeps faults testable without VMs and free of QEMU argv or YAML.
 */
public interface FaultTarget {
    /** The node's name, e.g. {@code node2}. */
    String name();

    /** Every NIC of the node, first NIC first. Empty for a node on no network. */
    List<NodeNic> nics();

    /** The node's QMP monitor. */
    QmpPort qmp();

    /**
     * Runs a {@code /bin/sh} command line as root in the guest (over a command channel that works
     * with the NICs cut); throws only if the channel itself fails.
     */
    CommandResult exec(String command, Duration timeout);

    /** Lifecycle and service control, owned by the cluster (which tracks the node's state). */
    NodeLifecycle lifecycle();

    /** The node's data disk, if it has one. */
    Optional<DataDisk> dataDisk();

    /** The NIC with this QMP id, or a clear error listing the node's NICs. */
    default NodeNic nic(String nicId) {
        return nics().stream()
                .filter(n -> n.nicId().equals(nicId))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("node " + name() + " has no NIC '" + nicId
                        + "'; its NICs are "
                        + nics().stream().map(NodeNic::nicId).toList()));
    }
}
