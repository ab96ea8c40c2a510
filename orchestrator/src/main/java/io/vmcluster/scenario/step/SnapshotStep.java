package io.vmcluster.scenario.step;

import io.vmcluster.cluster.SnapshotName;
import io.vmcluster.yaml.Location;

/**
 * {@code snapshot: NAME} (save every node as one consistent cut) or {@code restore: NAME} (bring
 * every node back to it); see docs/snapshots.md.
 */
public record SnapshotStep(Location location, Kind kind, SnapshotName name, String label) implements Step {
    /** Which of the two. */
    public enum Kind {
        SNAPSHOT("snapshot"),
        RESTORE("restore");

        public final String verb;

        Kind(String verb) {
            this.verb = verb;
        }
    }

    @Override
    public String describe() {
        return kind.verb + ": " + name.value();
    }
}
