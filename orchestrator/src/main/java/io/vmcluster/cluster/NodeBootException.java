package io.vmcluster.cluster;

/**
 * A node did not come up (or not back): QEMU failed to start, exited, or the guest did not print
 * its readiness line in time. The message carries the serial-log tail and QEMU's stderr.
 */
public final class NodeBootException extends RuntimeException {
    private final String node;

    public NodeBootException(String node, String what, String serialTail, String stderrTail, Throwable cause) {
        super(message(node, what, serialTail, stderrTail), cause);
        this.node = node;
    }

    public String node() {
        return node;
    }

    private static String message(String node, String what, String serialTail, String stderrTail) {
        StringBuilder sb = new StringBuilder("node ").append(node).append(": ").append(what);
        sb.append("\n  last lines of its serial log (ttyS0):\n").append(indent(serialTail));
        if (stderrTail != null && !stderrTail.isBlank()) {
            sb.append("\n  QEMU stderr:\n").append(indent(stderrTail));
        }
        return sb.toString();
    }

    private static String indent(String text) {
        if (text == null || text.isBlank()) {
            return "    (empty)";
        }
        return "    " + text.strip().replace("\n", "\n    ");
    }
}
