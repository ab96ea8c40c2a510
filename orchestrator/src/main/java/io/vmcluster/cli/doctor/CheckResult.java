package io.vmcluster.cli.doctor;

import java.util.Objects;

/**
 * What one host check found.
 *
 * @param check the check's name, e.g. {@code KVM}
 * @param status OK, degraded (WARN: runs work, slower or with a workaround) or MISSING (runs cannot work)
 * @param found what the host offers, in a few words
 * @param fix how to fix it; empty when OK
 */
public record CheckResult(String check, Status status, String found, String fix) {
    public CheckResult {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(status, "status");
        found = found == null ? "" : found;
        fix = fix == null ? "" : fix;
    }

    public static CheckResult ok(String check, String found) {
        return new CheckResult(check, Status.OK, found, "");
    }

    public static CheckResult warn(String check, String found, String fix) {
        return new CheckResult(check, Status.WARN, found, fix);
    }

    public static CheckResult missing(String check, String found, String fix) {
        return new CheckResult(check, Status.MISSING, found, fix);
    }

    /** How much a finding matters. */
    public enum Status {
        OK,
        WARN,
        MISSING
    }
}
