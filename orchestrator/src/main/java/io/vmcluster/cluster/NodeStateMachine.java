package io.vmcluster.cluster;

import io.vmcluster.events.EventKind;
import io.vmcluster.events.EventSink;
import io.vmcluster.qemu.QemuProcess;
import io.vmcluster.qmp.QmpEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's {@link NodeState}, fed only by what QEMU and the guest report: a QEMU start, QMP
 * events, the readiness line, the process exit. Every change is a {@code node.state} event
 * (state, previous, reason, accelerator). Thread-safe: QMP events arrive on the QMP dispatcher,
 * exits on the process reaper, the rest on the lifecycle thread.
 */
final class NodeStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(NodeStateMachine.class);
    private static final int STDERR_LINES = 10;

    private final String node;
    private final EventSink events;

    // guarded by this
    private NodeState state = NodeState.NOT_STARTED;
    private QemuProcess current;
    /** The current QEMU is a KVM trial: its exit is reported only once it is confirmed as the node's start. */
    private boolean provisional;

    private Integer exitedWhileProvisional;
    private boolean ready;
    private boolean killRequested;

    NodeStateMachine(String node, EventSink events) {
        this.node = node;
        this.events = events;
    }

    synchronized NodeState state() {
        return state;
    }

    /**
     * A QEMU was started for the node: BOOTING, and its exit will be this machine's to report. A
     * {@code provisional} one (a KVM trial) is either {@link #confirm confirmed} or {@link #forget forgotten}.
     */
    void started(QemuProcess q, boolean provisional) {
        synchronized (this) {
            current = q;
            this.provisional = provisional;
            exitedWhileProvisional = null;
            ready = false;
            killRequested = false;
        }
        change(
                NodeState.BOOTING,
                "QEMU started",
                Map.of("accelerator", q.accelerator().qemuName(), "pid", q.pid()),
                true);
        q.onExit().thenAccept(code -> exited(q, code));
    }

    /** The next exit of the current QEMU was asked for (crash, kill after a failed shutdown). */
    synchronized void expectKill() {
        killRequested = true;
    }

    /** The provisional QEMU {@code q} is the node's start after all (KVM works): its exit counts from now on. */
    void confirm(QemuProcess q) {
        Integer code;
        synchronized (this) {
            if (current != q || !provisional) {
                return;
            }
            provisional = false;
            code = exitedWhileProvisional;
        }
        if (code != null) {
            exited(q, code);
        }
    }

    /**
     * The provisional QEMU {@code q} is given up without being a start of the node (a failed KVM
     * trial): its exit is not reported, the next {@link #started} reports the real start.
     */
    synchronized void forget(QemuProcess q) {
        if (current == q) {
            current = null;
            provisional = false;
        }
    }

    /** A graceful stop was asked for ({@code reason}: what was sent, e.g. {@code system_powerdown}). */
    void stopping(String reason) {
        change(NodeState.STOPPING, reason, Map.of(), false);
    }

    /** The guest printed its readiness line. */
    void ready() {
        ready("readiness line on ttyS0");
    }

    /** The guest is ready for the reason given (its readiness line, a warm start's state loaded). */
    void ready(String reason) {
        synchronized (this) {
            ready = true;
        }
        if (state() == NodeState.BOOTING) {
            change(NodeState.READY, reason, Map.of(), false);
        }
    }

    /** What QEMU told over QMP. */
    void qmpEvent(QmpEvent event) {
        event.type().ifPresent(type -> {
            switch (type) {
                case STOP -> change(NodeState.PAUSED, "QMP STOP", Map.of(), false);
                case RESUME -> change(isReady() ? NodeState.READY : NodeState.BOOTING, "QMP RESUME", Map.of(), false);
                case RESET -> {
                    synchronized (this) {
                        ready = false;
                    }
                    change(NodeState.BOOTING, "QMP RESET", Map.of("qmpReason", reason(event)), false);
                }
                case POWERDOWN, SHUTDOWN ->
                    change(NodeState.STOPPING, "QMP " + event.name(), Map.of("qmpReason", reason(event)), false);
                default -> {}
            }
        });
    }

    private void exited(QemuProcess q, int code) {
        boolean killed;
        NodeState next;
        synchronized (this) {
            if (q != current) {
                return;
            }
            if (provisional) {
                exitedWhileProvisional = code;
                return;
            }
            killed = killRequested;
            next = !killed && state == NodeState.STOPPING ? NodeState.STOPPED : NodeState.CRASHED;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("exitCode", code);
        if (!killed && next == NodeState.CRASHED) {
            String stderr = q.stderrTail(STDERR_LINES);
            fields.put("stderr", stderr);
            LOG.warn("QEMU of node {} exited unexpectedly with {}: {}", node, code, stderr);
        }
        change(next, killed ? "QEMU killed" : "QEMU exited", fields, false);
    }

    private synchronized boolean isReady() {
        return ready;
    }

    private static String reason(QmpEvent event) {
        return String.valueOf(event.dataText("reason"));
    }

    /** Records the change; a change to the same state is dropped unless {@code always} (a new QEMU). */
    private void change(NodeState next, String reason, Map<String, Object> extra, boolean always) {
        NodeState previous;
        QemuProcess q;
        synchronized (this) {
            previous = state;
            if (previous == next && !always) {
                return;
            }
            state = next;
            q = current;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("state", next.name());
        fields.put("previous", previous.name());
        fields.put("reason", reason);
        if (q != null) {
            fields.put("accelerator", q.accelerator().qemuName());
        }
        fields.putAll(extra);
        events.record(EventKind.NODE_STATE, node, fields);
        LOG.debug("node {}: {} -> {} ({})", node, previous, next, reason);
    }
}
