package io.vmcluster.cli;

import io.vmcluster.image.build.ImageBuild;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The CLI's view of the image builder ({@link ImageBuild}): finds the repository's {@code
 * images/} directory, lists its definitions, builds one showing its progress.
 *
 * @param definitions the {@code images/} directory of the repository, if one was found
 */
public record ImageBuilder(Optional<Path> definitions) {
    /** {@code -Dvmc.images.dir} (set by scripts/vmcluster), else the nearest images/ above the working directory. */
    public static ImageBuilder standard() {
        String prop = System.getProperty("vmc.images.dir");
        if (prop != null && !prop.isBlank()) {
            return new ImageBuilder(Optional.of(Path.of(prop)));
        }
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 8 && dir != null; i++, dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("images")) && Files.exists(dir.resolve("pom.xml"))) {
                return new ImageBuilder(Optional.of(dir.resolve("images")));
            }
        }
        return new ImageBuilder(Optional.empty());
    }

    /** Names of the image definitions (directories of images/ with an image.yaml). */
    public List<String> names() {
        return definitions.map(d -> new ImageBuild(d).names()).orElse(List.of());
    }

    /** The builder, or an exception saying no images/ directory was found. */
    public ImageBuild builder() {
        return new ImageBuild(definitions.orElseThrow(() -> new InvalidInputException(
                "no images/ directory found (the runtime and the builder live there): run from the repository or"
                        + " use scripts/vmcluster, or set -Dvmc.images.dir")));
    }

    /**
     * Builds (or finds) {@code nameOrDir}; progress goes to {@code progress}.
     *
     * @throws InvalidInputException for a name with no definition, naming the ones there are
     */
    public Path build(String nameOrDir, ImageBuild.Options options, PrintWriter progress) {
        ImageBuild b = builder();
        if (b.definitionFile(nameOrDir).isEmpty()) {
            throw new InvalidInputException("no image named '" + nameOrDir + "': known images are " + names()
                    + definitions.map(d -> " (in " + d + ")").orElse("")
                    + "; or give the directory of an image.yaml");
        }
        return b.build(nameOrDir, options, line -> {
            progress.println("  | " + line);
            progress.flush();
        });
    }

    /** {@link #build(String, ImageBuild.Options, PrintWriter)} with the default options. */
    public Path build(String nameOrDir, PrintWriter progress) {
        return build(nameOrDir, ImageBuild.Options.defaults(), progress);
    }
}
