package io.vmcluster.cli;

import io.vmcluster.image.ImageManifest;
import io.vmcluster.scenario.ImageParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The images' own params for the scenario parser, from what the host has without building
 * anything: an image name's definition ({@code images/NAME/image.yaml} with the runtime), else its
 * build in the cache ({@code image.json}); an image directory's {@code image.json}. An image
 * that cannot be read is not known (nothing is checked against it; the image check says why).
 */
final class ImageParamsLookup implements ImageParams {
    private final ImageBuilder definitions;
    private final Path cache;

    ImageParamsLookup(ImageBuilder definitions, Path cache) {
        this.definitions = definitions;
        this.cache = cache;
    }

    static ImageParams standard(ImageBuilder definitions, Path cache) {
        return new ImageParamsLookup(definitions, cache);
    }

    @Override
    public Optional<Map<String, String>> of(String image) {
        try {
            if (!image.contains("/") && definitions.names().contains(image)) {
                return Optional.of(
                        definitions.builder().definitionForChecks(image).params());
            }
            Path dir = image.contains("/") ? Path.of(image) : cache.resolve(image);
            if (Files.isRegularFile(dir.resolve("image.json"))) {
                return Optional.of(ImageManifest.read(dir).params());
            }
        } catch (RuntimeException e) {
            // a bad definition or manifest: reported by the image check or the build, not here
        }
        return Optional.empty();
    }
}
