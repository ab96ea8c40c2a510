package io.vmcluster.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmcluster.cluster.spec.ClusterSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The cluster a scenario runs on: the cluster definition (written inline under {@code cluster:}
 * or read from the cluster file it names), with scenario params already substituted, and the
 * names of its nodes (known before anything boots, so steps can be checked against them).
 *
 * @param definition the cluster definition as a JSON tree, in the cluster-file format
 *     (docs/clusters.md), scenario params merged into {@code defaults.params}
 * @param spec the definition as validated by the cluster runtime's loader
 * @param file the cluster file, or null when the definition is inline
 * @param location where the definition starts
 * @param nodes node names, in order
 */
public record ClusterSource(ObjectNode definition, ClusterSpec spec, Path file, Location location, List<String> nodes) {
    public ClusterSource {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(location, "location");
        nodes = List.copyOf(nodes);
    }

    /** The image of the first node (one image serves every node in the usual case). */
    public String image() {
        return spec.nodes().get(0).image();
    }
}
