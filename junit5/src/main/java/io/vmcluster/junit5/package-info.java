/**
 * JUnit 5 integration: {@link io.vmcluster.junit5.VmCluster} on a test class boots one cluster of
 * real QEMU VMs for the class, injects {@link io.vmcluster.cluster.Cluster}, {@link
 * io.vmcluster.cluster.Node} (by parameter name) and {@link io.vmcluster.fault.Faults}, and stops
 * it after the class. See docs/junit5.md.
 */
package io.vmcluster.junit5;
