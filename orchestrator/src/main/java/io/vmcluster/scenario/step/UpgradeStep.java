package io.vmcluster.scenario.step;

import io.vmcluster.image.ImageRef;
import io.vmcluster.yaml.Location;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code upgrade: NODE} with {@code image: NAME[@VERSION]}: one node of a rolling upgrade. The node
 * is stopped gracefully (the power button, as {@code shutdown}), booted on the image with its data
 * disk, and waited for until ready; the others run on. docs/upgrades.md.
 *
 * @param node the one node (a name or {@code ${var}})
 * @param image the image to boot, with its version pin if any
 * @param imageAt where {@code image:} is written (an unknown image is reported there)
 * @param timeout bound until the node is ready again, or null for the step default
 */
public record UpgradeStep(
        Location location, NodeSelector node, ImageRef image, Location imageAt, Duration timeout, String label)
        implements Step {
    public UpgradeStep {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(imageAt, "imageAt");
    }

    @Override
    public String describe() {
        return "upgrade " + node + " to " + image;
    }
}
