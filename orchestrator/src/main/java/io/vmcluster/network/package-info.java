/**
 * The private network of a running cluster: a {@link io.vmcluster.network.NetworkNamespace} with
 * its {@link io.vmcluster.network.Bridge}s and {@link io.vmcluster.network.Tap}s, commands run
 * inside it (ip, nft, tc), and {@link io.vmcluster.network.NamespacedSockets} through which the
 * JVM reaches guest addresses without leaving the host's namespace. The host's own network is
 * never touched.
 *
 * <p>Durations given to this package are nominal and scaled by {@link io.vmcluster.time.Timing}.
 */
package io.vmcluster.network;
