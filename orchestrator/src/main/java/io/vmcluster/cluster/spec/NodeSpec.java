package io.vmcluster.cluster.spec;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One virtual machine of a cluster, as defined (nothing about a running VM).
 *
 * @param name host name, e.g. {@code node1}
 * @param id 1-based position in the cluster; addresses and MACs derive from it
 * @param image image name (looked up in the image cache) or a path to an image directory
 * @param memoryMiB guest RAM in MiB
 * @param cpus number of virtual CPUs
 * @param params user parameters, passed as {@code vmc.<key>=<value>} on the kernel command line
 * @param kernelArgs words appended to the kernel command line after the image's and the {@code
 *     vmc.*} ones (e.g. {@code sysctl.net.ipv4.tcp_syn_retries=2 mitigations=off}); empty for none
 * @param readyCommand a guest command that must exit 0 before the node counts as ready (after the
 *     image's own readiness), on every boot; null for none
 * @param display whether it has a screen ({@link Display#VNC}); {@link Display#NONE} by default
 */
public record NodeSpec(
        String name,
        int id,
        String image,
        int memoryMiB,
        int cpus,
        Map<String, String> params,
        List<String> kernelArgs,
        String readyCommand,
        Display display) {
    public NodeSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        params = Map.copyOf(params);
        kernelArgs = kernelArgs == null ? List.of() : List.copyOf(kernelArgs);
        readyCommand = readyCommand == null || readyCommand.isBlank() ? null : readyCommand;
        display = display == null ? Display.NONE : display;
    }

    /** A node without a screen. */
    public NodeSpec(
            String name,
            int id,
            String image,
            int memoryMiB,
            int cpus,
            Map<String, String> params,
            List<String> kernelArgs,
            String readyCommand) {
        this(name, id, image, memoryMiB, cpus, params, kernelArgs, readyCommand, Display.NONE);
    }

    /** The same node with {@code value} as its screen. */
    public NodeSpec withDisplay(Display value) {
        return new NodeSpec(name, id, image, memoryMiB, cpus, params, kernelArgs, readyCommand, value);
    }

    public NodeSpec(String name, int id, String image, int memoryMiB, int cpus, Map<String, String> params) {
        this(name, id, image, memoryMiB, cpus, params, List.of(), null);
    }

    /** The node's readiness command, if it has one. */
    public Optional<String> ready() {
        return Optional.ofNullable(readyCommand);
    }
}
