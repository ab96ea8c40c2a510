package io.vmcluster.yaml;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where something is written in a file the user wrote: 1-based line and column, printed the way
 * editors and compilers do ({@code scenarios/x.yaml:12:7}). Line 0 means the file as a whole (or
 * something with no place in it, such as a command-line option; see {@link #of(Path)}).
 *
 * @param file the file, as the user named it (relative paths stay relative)
 * @param line 1-based line, or 0 for "the file as a whole"
 * @param column 1-based column (0 with line 0)
 */
public record Location(Path file, int line, int column) {
    public Location {
        Objects.requireNonNull(file, "file");
    }

    /** A location for the file as a whole, or for something with no place in it. */
    public static Location of(Path file) {
        return new Location(file, 0, 0);
    }

    /**
     * A location for a command-line option, printed as the option itself ({@code --param
     * jobq.mode=}), so a bad value given there is blamed on the option, not on a file.
     */
    public static Location option(String option) {
        return new Location(Path.of(option.replace('\0', ' ')), 0, 0);
    }

    @Override
    public String toString() {
        return line <= 0 ? file.toString() : file + ":" + line + ":" + column;
    }
}
