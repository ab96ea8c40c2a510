package io.vmcluster.cluster;

/**
 * A node did not come up (or not back): QEMU failed to start, exited, or the guest did not print
 * its readiness line in time. The message carries the serial-log tail, QEMU's stderr and, where
 * the cause lies with the host, what to do about it ({@link #fix()}). A cluster that cannot boot
 * for one of these reasons is a host problem to the CLI (exit 3).
 */
public final class NodeBootException extends RuntimeException {
    private final String node;
    private final Fix fix;

    public NodeBootException(String node, String what, String serialTail, String stderrTail, Throwable cause) {
        this(node, what, serialTail, stderrTail, Fix.NONE, cause);
    }

    public NodeBootException(String node, String what, String serialTail, String stderrTail, Fix fix, Throwable cause) {
        super(message(node, what, serialTail, stderrTail, fix), cause);
        this.node = node;
        this.fix = fix;
    }

    public String node() {
        return node;
    }

    /** What to do about it (empty when nothing general can be said). */
    public String fix() {
        return fix.text();
    }

    /** The remedies for the ways a boot fails. */
    public enum Fix {
        NONE(""),
        /** QEMU exited during the start (under TCG, or KVM asked for explicitly). */
        QEMU_EXITED("QEMU refused to run this VM (its words above; the exact command line is qemu.argv in the node's"
                + " results directory): `vmcluster doctor` checks that the QEMU in use (VMC_QEMU, else"
                + " qemu-system-x86_64 on PATH) is 7.2 or newer with the q35 machine and virtio devices"),
        /** KVM was asked for explicitly and failed. */
        KVM_FAILED("KVM does not work on this host: use --accel auto (falls back to TCG by itself) or --accel tcg;"
                + " `vmcluster doctor --probe-kvm` shows why"),
        /** QEMU ran but its sockets did not open in time. */
        SLOW_HOST("QEMU did not open its sockets in time: on a slow or loaded host raise VMC_TIMING_MULTIPLIER"
                + " (e.g. 3)"),
        /** The guest did not print its readiness line in time. */
        SLOW_OR_BROKEN_GUEST("on a slow or loaded host raise VMC_TIMING_MULTIPLIER (e.g. 3); if the serial log"
                + " shows the guest stuck or panicking, the image is broken: rebuild it with"
                + " `vmcluster image build NAME`");

        private final String text;

        Fix(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    private static String message(String node, String what, String serialTail, String stderrTail, Fix fix) {
        StringBuilder sb = new StringBuilder("node ").append(node).append(": ").append(what);
        sb.append("\n  last lines of its serial log (ttyS0):\n").append(indent(serialTail));
        if (stderrTail != null && !stderrTail.isBlank()) {
            sb.append("\n  QEMU stderr:\n").append(indent(stderrTail));
        }
        if (!fix.text().isEmpty()) {
            sb.append("\n  fix: ").append(fix.text());
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
