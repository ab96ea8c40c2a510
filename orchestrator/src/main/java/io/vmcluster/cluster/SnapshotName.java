package io.vmcluster.cluster;

/**
 * The name of a whole-cluster snapshot: 1-64 letters, digits, {@code _ . -}, starting with a
 * letter or digit (it becomes the qcow2 snapshot tag and part of a QMP job id).
 */
public record SnapshotName(String value) {
    public SnapshotName {
        String problem = problem(value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** What is wrong with {@code name} as a snapshot name, or null when it is valid. */
    public static String problem(String name) {
        return SavedStateNames.problem("snapshot", name);
    }

    @Override
    public String toString() {
        return value;
    }
}
