package io.vmcluster.image;

import java.util.Objects;
import java.util.Optional;

/**
 * An image as a step names it: {@code NAME[@VERSION]}. {@code NAME} is what a node's {@code image}
 * is (a definition's or cached build's name, or an image directory); {@code VERSION}, when given,
 * must be the image's {@code version} (image.yaml's, copied to image.json): a pin that says which
 * build the step means, checked before the run and again when the image is resolved.
 *
 * @param name the image's name or directory
 * @param version the version it must have; empty: any
 */
public record ImageRef(String name, Optional<String> version) {
    public ImageRef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        if (name.isBlank()) throw new IllegalArgumentException("an image reference needs a name");
    }

    /**
     * Reads {@code NAME[@VERSION]}: the last {@code @} splits them.
     *
     * @throws IllegalArgumentException saying what is wrong (empty name or version, white space)
     */
    public static ImageRef parse(String text) {
        String t = text.strip();
        if (t.isEmpty() || t.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("an image is NAME or NAME@VERSION (e.g. etcd-test-v2@2), without"
                    + " white space; found '" + text + "'");
        }
        int at = t.lastIndexOf('@');
        if (at < 0) return new ImageRef(t, Optional.empty());
        if (at == 0 || at == t.length() - 1) {
            throw new IllegalArgumentException("an image is NAME or NAME@VERSION (e.g. etcd-test-v2@2): '" + text
                    + "' has an empty " + (at == 0 ? "name" : "version"));
        }
        return new ImageRef(t.substring(0, at), Optional.of(t.substring(at + 1)));
    }

    /** The problem with {@code actualVersion} for this reference, or null when it matches (or none is pinned). */
    public String versionProblem(String actualVersion) {
        if (version.isEmpty() || version.get().equals(actualVersion)) return null;
        return "image " + name + " is version " + actualVersion + ", not " + version.get() + " (write " + name + "@"
                + actualVersion + ", or build the version you mean)";
    }

    /** The image resolved: its manifest, checked against the pinned version. */
    public ImageManifest resolve(ImageStore store) {
        ImageManifest m = store.resolve(name);
        String problem = versionProblem(m.version());
        if (problem != null) throw new InvalidImageException(problem, null);
        return m;
    }

    @Override
    public String toString() {
        return version.map(v -> name + "@" + v).orElse(name);
    }
}
