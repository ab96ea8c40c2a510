/**
 * What a cluster is, before anything runs: {@link io.vmcluster.cluster.spec.ClusterSpec} (nodes,
 * LANs, links, and every address, MAC and interface name derived from them), its builder, the
 * YAML loader {@link io.vmcluster.cluster.spec.ClusterSpecLoader} and the validator behind both,
 * and the {@code vmc.*} guest parameters a node's definition implies
 * ({@link io.vmcluster.cluster.spec.GuestParams}).
 *
 * <p>A package of its own because it is a pure value layer: it knows nothing of QEMU, processes,
 * namespaces or a running cluster, so the scenario parser, faults, the CLI and the Java API can
 * read a definition without pulling in the runtime ({@code io.vmcluster.cluster} builds a
 * running cluster from a spec; nothing here points back at it). Addresses are network values
 * and live in {@code io.vmcluster.network}.
 */
package io.vmcluster.cluster.spec;
