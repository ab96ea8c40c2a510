package io.vmcluster.scenario.step;

import io.vmcluster.cluster.SnapshotName;
import io.vmcluster.yaml.Location;

/**
 * {@code snapshot: NAME} (save every node as one consistent cut) or {@code restore: NAME} (bring
 * every node back to it); see docs/snapshots.md.
 *
 * @param cache {@code snapshot: NAME} with {@code cache: true}: the cut is also kept across runs,
 *     and the next run of the same cluster, image and scenario text starts from it instead of
 *     booting (docs/snapshots.md, "Warm start across runs")
 */
public record SnapshotStep(Location location, Kind kind, SnapshotName name, String label, boolean cache)
        implements Step {
    public SnapshotStep(Location location, Kind kind, SnapshotName name, String label) {
        this(location, kind, name, label, false);
    }

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
