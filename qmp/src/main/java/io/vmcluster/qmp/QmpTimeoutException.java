package io.vmcluster.qmp;

/** No reply (or awaited event) arrived within the deadline. The connection stays usable. */
public final class QmpTimeoutException extends QmpException {
    public QmpTimeoutException(String message) {
        super(message);
    }
}
