package io.vmcluster.qmp;

/** QEMU answered a command with an error. */
public final class QmpCommandException extends QmpException {
    private final QmpError error;

    public QmpCommandException(QmpError error) {
        super("QMP command " + error);
        this.error = error;
    }

    /** QMP's class and description, and the command sent. */
    public QmpError error() {
        return error;
    }
}
