package io.vmcluster.scenario;

import java.util.Objects;

/** One thing wrong with a scenario file: where, and what (with what would be valid). */
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
