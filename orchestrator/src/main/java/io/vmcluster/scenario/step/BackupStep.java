package io.vmcluster.scenario.step;

import io.vmcluster.cluster.BackupName;
import io.vmcluster.yaml.Location;
import java.util.Objects;

/**
 * {@code backup: NAME} (copy the data disks of the nodes {@code on} names, default all, cut at one
 * moment while they run) or {@code restore_backup: NAME} (power those nodes off, write the copy
 * over their disks, boot them; default every node the backup holds); see docs/backups.md.
 *
 * @param on the nodes; {@code null} for the default (all for a backup, the backup's for a restore)
 */
public record BackupStep(Location location, Kind kind, BackupName name, NodeSelector on, String label) implements Step {
    /** Which of the two. */
    public enum Kind {
        BACKUP("backup"),
        RESTORE("restore_backup");

        public final String verb;

        Kind(String verb) {
            this.verb = verb;
        }
    }

    public BackupStep {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String describe() {
        return kind.verb + ": " + name.value() + (on == null ? "" : " on " + on);
    }
}
