package io.vmcluster.qemu;

/**
 * QEMU exited while something waited for it (a socket to accept, the guest to print, a reply):
 * the wait failed the moment the process was gone. The message says what was waited for, the
 * exit status, when, and QEMU's stderr tail.
 */
public final class QemuExitedException extends RuntimeException {
    private final String waitingFor;
    private final QemuExit exit;

    public QemuExitedException(String waitingFor, QemuExit exit, Throwable cause) {
        super(summary(waitingFor, exit) + stderr(exit), cause);
        this.waitingFor = waitingFor;
        this.exit = exit;
    }

    /** How it ended. */
    public QemuExit exit() {
        return exit;
    }

    /** What was waited for, e.g. {@code "QEMU's QMP socket"}. */
    public String waitingFor() {
        return waitingFor;
    }

    /** The message without the stderr tail: {@code "QEMU exited with status 1 0.1 s after its start while waiting for ..."}. */
    public String summary() {
        return summary(waitingFor, exit);
    }

    private static String summary(String waitingFor, QemuExit exit) {
        return exit.describe() + " while waiting for " + waitingFor;
    }

    private static String stderr(QemuExit exit) {
        String tail = exit.stderrTail().strip();
        return tail.isEmpty() ? "; it wrote nothing on stderr" : ":\n" + tail;
    }
}
