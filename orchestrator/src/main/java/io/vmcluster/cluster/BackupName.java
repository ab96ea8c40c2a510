package io.vmcluster.cluster;

import java.util.regex.Pattern;

/**
 * The name of a backup of node data disks: 1-64 letters, digits, {@code _ . -}, starting with a
 * letter or digit (it names the backup's directory and is part of QMP job and node ids).
 */
public record BackupName(String value) {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    public BackupName {
        String problem = problem(value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** What is wrong with {@code name} as a backup name, or null when it is valid. */
    public static String problem(String name) {
        if (name != null && VALID.matcher(name).matches()) {
            return null;
        }
        return "backup name '" + name + "' is not valid: 1-64 characters of letters, digits, '_', '.', '-',"
                + " starting with a letter or digit";
    }

    @Override
    public String toString() {
        return value;
    }
}
