package io.vmcluster.qmp;

/** The peer did not speak the protocol as expected (no greeting, a malformed reply). */
public final class QmpProtocolException extends QmpException {
    public QmpProtocolException(String message) {
        super(message);
    }

    public QmpProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
