package io.vmcluster.image;

import io.vmcluster.image.build.ImageBuild;
import io.vmcluster.image.build.ImageBuildException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds images: a path to an image directory is used as is; a name is resolved by the
 * definition {@code images/<name>/image.yaml} when the repository is at hand (the builder finds
 * the cached build of that exact definition at once, or builds it), else by the cache's stable symlink
 * {@code ${XDG_CACHE_HOME:-~/.cache}/vmcluster/images/<name>}.
 */
public final class ImageStore {
    private final Path cacheDir;
    private final Optional<Path> definitionsDir;
    private final Map<String, ImageManifest> loaded = new ConcurrentHashMap<>();

    public ImageStore(Path cacheDir, Optional<Path> definitionsDir) {
        this.cacheDir = cacheDir;
        this.definitionsDir = definitionsDir;
    }

    /**
     * The standard store: cache under XDG_CACHE_HOME (or ~/.cache), definitions from system property
     * {@code vmc.images.dir}, else the nearest {@code images/} directory above the working directory.
     */
    public static ImageStore standard() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache"))
                .resolve("vmcluster")
                .resolve("images");
        String prop = System.getProperty("vmc.images.dir");
        Optional<Path> defs = prop != null ? Optional.of(Path.of(prop)) : findDefinitions();
        return new ImageStore(cache, defs);
    }

    public Path cacheDir() {
        return cacheDir;
    }

    /**
     * The manifest of {@code image}: a directory path (contains '/') or a name in the cache.
     *
     * @throws InvalidImageException saying where it looked and how to build it
     */
    public ImageManifest resolve(String image) {
        return loaded.computeIfAbsent(image, this::load);
    }

    private ImageManifest load(String image) {
        if (image.contains("/")) {
            return ImageManifest.read(Path.of(image));
        }
        // the definition wins: the builder finds the cached build of exactly this definition at
        // once (by hash) or builds it, so a stale cache entry is never used
        Optional<ImageBuild> builder = definitionsDir
                .map(ImageBuild::new)
                .filter(b -> b.definitionFile(image).isPresent());
        if (builder.isPresent()) {
            return ImageManifest.read(build(builder.get(), image));
        }
        Path cached = cacheDir.resolve(image);
        if (Files.isRegularFile(cached.resolve("image.json"))) {
            return ImageManifest.read(cached.toAbsolutePath());
        }
        throw new InvalidImageException(
                "image '" + image + "' is not in the cache (" + cached
                        + ") and no definition images/" + image + "/image.yaml was found"
                        + definitionsDir.map(d -> " under " + d).orElse("")
                        + "; build it with vmcluster image build " + image + ", or set -Dvmc.images.dir",
                null);
    }

    /** Builds quietly (a run has said it builds); a failure carries the builder's last lines. */
    private static Path build(ImageBuild builder, String image) {
        ArrayDeque<String> tail = new ArrayDeque<>();
        try {
            return builder.build(image, ImageBuild.Options.defaults(), line -> {
                tail.addLast(line);
                if (tail.size() > 20) tail.removeFirst();
            });
        } catch (ImageBuildException e) {
            throw new InvalidImageException(e.getMessage(), e);
        }
    }

    private static Optional<Path> findDefinitions() {
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 6 && dir != null; i++, dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("images")) && Files.exists(dir.resolve("pom.xml"))) {
                return Optional.of(dir.resolve("images"));
            }
        }
        return Optional.empty();
    }
}
