package io.vmcluster.cluster;

import java.util.regex.Pattern;

/**
 * The one naming rule of what a run saves of its nodes ({@link SnapshotName}, {@link BackupName}):
 * 1-64 letters, digits, {@code _ . -}, starting with a letter or digit, since the name becomes a
 * qcow2 snapshot tag, a directory and part of QMP job and node ids.
 */
final class SavedStateNames {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private SavedStateNames() {}

    /** What is wrong with {@code name} as a {@code what} name (e.g. "snapshot"), or null when valid. */
    static String problem(String what, String name) {
        if (name != null && VALID.matcher(name).matches()) {
            return null;
        }
        return what + " name '" + name + "' is not valid: 1-64 characters of letters, digits, '_', '.', '-',"
                + " starting with a letter or digit";
    }
}
