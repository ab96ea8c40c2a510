package io.vmcluster.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A point-in-time copy of some nodes' data disks, taken by {@link Cluster#backup}: one qcow2 file
 * per node, all cut at the same moment (the nodes were frozen together while the copy jobs
 * started). It lives in the run's temporary directory until the cluster closes. See
 * docs/backups.md.
 *
 * @param name what it is called
 * @param files each node's copy of its data disk, by node name, in cluster order
 * @param takenAt when the cut was made (the nodes resumed)
 * @param frozen how long the nodes were frozen for the cut
 * @param total how long the whole backup took (the in-guest sync, the cut, the copy)
 */
public record Backup(BackupName name, Map<String, Path> files, Instant takenAt, Duration frozen, Duration total) {
    public Backup {
        Objects.requireNonNull(name, "name");
        files = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(files));
        Objects.requireNonNull(takenAt, "takenAt");
    }

    /** The nodes whose disks it holds. */
    public Set<String> nodes() {
        return files.keySet();
    }
}
