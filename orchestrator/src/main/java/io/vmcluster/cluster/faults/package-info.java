/**
 * Where the running cluster and the fault layer meet: {@link io.vmcluster.cluster.faults.ClusterFaults#of}
 * builds the {@link io.vmcluster.fault.Faults} of a {@link io.vmcluster.cluster.Cluster}, seeing
 * each node through {@link io.vmcluster.fault.FaultTarget}, its QMP client through {@link
 * io.vmcluster.cluster.faults.QmpClientPort} and the cluster's namespace through {@link
 * io.vmcluster.cluster.faults.NamespaceHost}. {@code io.vmcluster.fault} itself never sees the
 * cluster, QEMU argv or YAML; {@code io.vmcluster.cluster} never sees faults.
 */
package io.vmcluster.cluster.faults;
