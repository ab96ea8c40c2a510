package io.vmcluster.cluster.spec;

import io.vmcluster.network.Ipv4Subnet;

/**
 * A point-to-point link between two nodes: {@code a} gets host number 1, {@code b} host number 2;
 * the host has no address on it.
 *
 * @param a first node
 * @param b second node
 * @param subnet the link's addresses (by default {@code 172.30.<k>.0/24} for the k-th link)
 */
public record LinkSpec(String a, String b, Ipv4Subnet subnet) {
    /** A display name, {@code a--b}. */
    public String name() {
        return a + "--" + b;
    }
}
