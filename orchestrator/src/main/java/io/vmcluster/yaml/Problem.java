package io.vmcluster.yaml;

import java.util.Objects;

/**
 * One thing wrong with a file the user wrote: where, and what (with what would be valid).
 * Printed as {@code file:line:column: message}.
 */
public record Problem(Location location, String message) {
    public Problem {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return location + ": " + message;
    }
}
