package io.vmcluster.fault;

/** Quoting for the guest's /bin/sh: a value becomes one word, whatever it contains. */
final class Shell {
    private Shell() {}

    static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
