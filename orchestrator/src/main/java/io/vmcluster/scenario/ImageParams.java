package io.vmcluster.scenario;

import java.util.Map;
import java.util.Optional;

/**
 * What the scenario parser may know of an image's own params (its {@code image.yaml}'s {@code
 * params}, or {@code image.json}'s), so that {@code --param} accepts them without the scenario
 * declaring them again and a scenario param that looks like a misspelt one of them is an error.
 */
@FunctionalInterface
public interface ImageParams {
    /** Knows no image: every param must be declared in the scenario, none is checked against an image. */
    ImageParams NONE = image -> Optional.empty();

    /**
     * The params {@code image} (a name or an image directory, as in a node's {@code image}) declares,
     * with their defaults; empty when the image is not known here.
     */
    Optional<Map<String, String>> of(String image);
}
