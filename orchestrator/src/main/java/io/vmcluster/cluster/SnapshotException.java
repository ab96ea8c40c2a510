package io.vmcluster.cluster;

/** A cluster snapshot or restore did not work; the message names the node, the QMP command and QEMU's words. */
public final class SnapshotException extends RuntimeException {
    SnapshotException(String message) {
        super(message);
    }

    SnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
