package io.vmcluster.nemesis;

/** A schedule file that cannot be read: the message names the file, the entry and the field. */
public final class InvalidScheduleException extends RuntimeException {
    public InvalidScheduleException(String message) {
        super(message);
    }
}
