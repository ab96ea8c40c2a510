package io.vmcluster.cluster.spec;

import java.util.Map;
import java.util.Objects;

/**
 * One virtual machine of a cluster, as defined (nothing about a running VM).
 *
 * @param name host name, e.g. {@code node1}
 * @param id 1-based position in the cluster; addresses and MACs derive from it
 * @param image image name (looked up in the image cache) or a path to an image directory
 * @param memoryMiB guest RAM in MiB
 * @param cpus number of virtual CPUs
 * @param params user parameters, passed as {@code vmc.<key>=<value>} on the kernel command line
 */
public record NodeSpec(String name, int id, String image, int memoryMiB, int cpus, Map<String, String> params) {
    public NodeSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        params = Map.copyOf(params);
    }
}
