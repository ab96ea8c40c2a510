package io.vmcluster.scenario;

import io.vmcluster.cluster.spec.ClusterSpec;
import io.vmcluster.yaml.Location;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The cluster a scenario runs on: the cluster definition (written inline under {@code cluster:}
 * or read from the cluster file it names), with scenario params already substituted and merged
 * into every node's params, and the names of its nodes (known before anything boots, so steps can
 * be checked against them).
 *
 * @param spec the definition as validated by the cluster loader
 * @param file the cluster file, or null when the definition is inline
 * @param location where the definition starts
 * @param nodes node names, in order
 * @param images each image the nodes use and where it is written (in the scenario or the cluster file)
 * @param definition the definition as written, params substituted (what other hosts are sent to
 *     boot their share: docs/scale-out.md), or null
 * @param params the params every node gets (the scenario's)
 */
public record ClusterSource(
        ClusterSpec spec,
        Path file,
        Location location,
        List<String> nodes,
        Map<String, Location> images,
        io.vmcluster.yaml.YamlNode definition,
        Map<String, String> params) {
    public ClusterSource {
        Objects.requireNonNull(spec, "spec");
        params = params == null
                ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
        Objects.requireNonNull(location, "location");
        nodes = List.copyOf(nodes);
        images = Map.copyOf(images);
    }

    /** The image of the first node (one image serves every node in the usual case). */
    public String image() {
        return spec.nodes().get(0).image();
    }
}
