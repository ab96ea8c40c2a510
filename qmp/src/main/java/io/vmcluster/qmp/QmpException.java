package io.vmcluster.qmp;

/** Base of everything the QMP and guest-agent clients raise (futures fail with these). */
public class QmpException extends RuntimeException {
    public QmpException(String message) {
        super(message);
    }

    public QmpException(String message, Throwable cause) {
        super(message, cause);
    }
}
