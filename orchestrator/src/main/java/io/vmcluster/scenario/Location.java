package io.vmcluster.scenario;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where something is written in a scenario file: 1-based line and column, printed the way editors
 * and compilers do ({@code scenarios/x.yaml:12:7}).
 */
public record Location(Path file, int line, int column) {
    public Location {
        Objects.requireNonNull(file, "file");
    }

    /** A location for something that has no place in a file (an override from the command line). */
    public static Location of(Path file) {
        return new Location(file, 0, 0);
    }

    @Override
    public String toString() {
        return line <= 0 ? file.toString() : file + ":" + line + ":" + column;
    }
}
