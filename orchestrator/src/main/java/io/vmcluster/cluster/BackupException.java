package io.vmcluster.cluster;

/** A backup or a restore from one did not work; the message names the node, the step and QEMU's or qemu-img's words. */
public final class BackupException extends RuntimeException {
    BackupException(String message) {
        super(message);
    }

    BackupException(String message, Throwable cause) {
        super(message, cause);
    }
}
