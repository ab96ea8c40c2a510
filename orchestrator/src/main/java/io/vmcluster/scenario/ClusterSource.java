package io.vmcluster.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The cluster a scenario runs on: the cluster definition (written inline under {@code cluster:}
 * or read from the cluster file it names), with scenario params already substituted, and the
 * names of its nodes (known before anything boots, so steps can be checked against them).
 *
 * @param definition the cluster definition as a JSON tree, in the cluster-file format
 *     (docs/clusters.md)
 * @param file the cluster file, or null when the definition is inline
 * @param location where the definition starts
 * @param nodes node names, in order
 */
public record ClusterSource(ObjectNode definition, Path file, Location location, List<String> nodes) {
    public ClusterSource {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(location, "location");
        nodes = List.copyOf(nodes);
    }

    /** The image named by the definition ({@code image:}), or null if it names none. */
    public String image() {
        return definition.hasNonNull("image") ? definition.get("image").asText() : null;
    }
}
