package io.vmcluster.cluster;

/**
 * The name of a backup of node data disks: 1-64 letters, digits, {@code _ . -}, starting with a
 * letter or digit (it names the backup's directory and is part of QMP job and node ids).
 */
public record BackupName(String value) {
    public BackupName {
        String problem = problem(value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** What is wrong with {@code name} as a backup name, or null when it is valid. */
    public static String problem(String name) {
        return SavedStateNames.problem("backup", name);
    }

    @Override
    public String toString() {
        return value;
    }
}
