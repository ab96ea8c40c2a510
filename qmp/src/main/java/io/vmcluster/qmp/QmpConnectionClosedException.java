package io.vmcluster.qmp;

/**
 * The connection is gone (QEMU exited, closed the socket, the stream broke, or the client was
 * closed) so the call can never be answered. Raised at once for every pending call.
 */
public final class QmpConnectionClosedException extends QmpException {
    public QmpConnectionClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
