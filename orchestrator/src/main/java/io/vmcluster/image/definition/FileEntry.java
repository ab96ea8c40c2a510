package io.vmcluster.image.definition;

import io.vmcluster.yaml.Location;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A file (or directory tree) an image definition puts into the guest.
 *
 * @param destination the absolute path in the guest
 * @param source where it comes from in the definition directory; empty for a file given at build
 *     time ({@code vmcluster image build --file DEST=SRC})
 * @param mode the file's mode, or empty to keep the source's executable bit (0755 or 0644)
 * @param location where the entry is written
 */
public record FileEntry(String destination, Optional<Path> source, Optional<Integer> mode, Location location) {
    /** Whether the file must be given at build time with {@code --file}. */
    public boolean givenAtBuild() {
        return source.isEmpty();
    }
}
