package io.vmcluster.qmp;

/**
 * QEMU's version, from the greeting or {@code query-version}.
 *
 * @param packageVersion the distribution's package string, e.g. "Debian 1:7.2+dfsg-7+deb12u7"
 */
public record QmpVersion(int major, int minor, int micro, String packageVersion) {
    /** Whether this is at least {@code major.minor}. */
    public boolean atLeast(int wantedMajor, int wantedMinor) {
        return major > wantedMajor || (major == wantedMajor && minor >= wantedMinor);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + micro + (packageVersion.isBlank() ? "" : " (" + packageVersion.trim() + ")");
    }
}
