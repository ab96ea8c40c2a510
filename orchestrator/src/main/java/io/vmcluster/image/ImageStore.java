package io.vmcluster.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Finds images: a path to an image directory is used as is; a name is resolved by the
 * definition's {@code images/<name>/build} when the repository is at hand (it finds the cached
 * build of that exact definition at once, or builds it), else by the cache's stable symlink
 * {@code ${XDG_CACHE_HOME:-~/.cache}/vmcluster/images/<name>}.
 */
public final class ImageStore {
    private static final Duration BUILD_BOUND = Duration.ofMinutes(30);

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
        // the definition wins: its build script finds the cached build of exactly this definition
        // at once (by hash) or builds it, so a stale cache entry is never used
        Optional<Path> build =
                definitionsDir.map(d -> d.resolve(image).resolve("build")).filter(Files::isRegularFile);
        if (build.isPresent()) {
            return ImageManifest.read(build(image, build.get()));
        }
        Path cached = cacheDir.resolve(image);
        if (Files.isRegularFile(cached.resolve("image.json"))) {
            return ImageManifest.read(cached.toAbsolutePath());
        }
        throw new InvalidImageException(
                "image '" + image + "' is not in the cache (" + cached
                        + ") and no definition images/" + image + "/build was found"
                        + definitionsDir.map(d -> " under " + d).orElse("")
                        + "; build it with images/" + image + "/build, or set -Dvmc.images.dir",
                null);
    }

    /** Runs the build script; its last stdout line is the image directory, its stderr is progress. */
    private static Path build(String image, Path script) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("vmc-image-build-", ".out");
            err = Files.createTempFile("vmc-image-build-", ".err");
            Process p = new ProcessBuilder("bash", script.toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!p.waitFor(BUILD_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new InvalidImageException(
                        "building image '" + image + "' with " + script + " took more than " + BUILD_BOUND.toMinutes()
                                + " minutes; last output:\n" + tail(err),
                        null);
            }
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
            if (p.exitValue() != 0 || last.isEmpty()) {
                throw new InvalidImageException(
                        "building image '" + image + "' with " + script + " failed (exit " + p.exitValue()
                                + "); last output:\n" + tail(err),
                        null);
            }
            return Path.of(last);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidImageException("interrupted while building image " + image, e);
        } catch (IOException e) {
            throw new InvalidImageException("cannot run " + script + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static String tail(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
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
