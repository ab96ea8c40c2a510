package io.vmcluster.cluster;

import io.vmcluster.qemu.QemuProcess;
import io.vmcluster.qemu.SerialLog;
import io.vmcluster.time.Durations;
import io.vmcluster.time.Timing;
import io.vmcluster.time.Wait;
import io.vmcluster.time.WaitTimeoutException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Whether the guest is ready: the image's readiness line on ttyS0 since the last (re)boot. The
 * wait ends at once when QEMU exits, and waits on while the node is paused.
 */
final class NodeReadiness {
    private static final int TAIL_LINES = 30;

    private final String node;
    private final String line;
    private final SerialLog serial;
    private final Timing timing;
    /** Where this boot's output starts in the serial log: set by each start and each RESET. */
    private volatile long since;

    NodeReadiness(String node, String line, SerialLog serial, Timing timing) {
        this.node = node;
        this.line = line;
        this.serial = serial;
        this.timing = timing;
    }

    /** The guest (re)boots from here: only output after {@code offset} counts. */
    void rebootsAt(long offset) {
        since = offset;
    }

    /** The guest rebooted just now (RESET): what it printed before does not count. */
    void rebootsNow() {
        since = serial.size();
    }

    /**
     * Waits for the readiness line of the boot that started last.
     *
     * @param timeout nominal, scaled by the timing
     * @throws NodeBootException when QEMU exits first (its status, stderr and serial tails) or the
     *     line does not come in time
     */
    void await(QemuProcess q, Duration timeout, Supplier<NodeState> state) {
        try {
            Wait.forCondition("node " + node + " to print '" + line + "' on ttyS0")
                    .timing(timing)
                    .every(Duration.ofMillis(50), Duration.ofMillis(100))
                    .atMost(timeout)
                    .until(() -> {
                        if (serial.hasLineSince(since, line)) {
                            return Boolean.TRUE;
                        }
                        if (q.exit().isPresent()) {
                            throw Wait.giveUp(q.exit().get().describe());
                        }
                        if (state.get() == NodeState.PAUSED) {
                            throw Wait.notYet("the node is paused");
                        }
                        return null;
                    });
        } catch (Wait.GiveUp e) {
            var exit = q.exit().orElseThrow();
            throw new NodeBootException(
                    node,
                    "not ready: " + exit.describe() + " before the guest printed '" + line + "'",
                    exit.serialTail(),
                    exit.stderrTail(),
                    NodeBootException.Fix.QEMU_EXITED,
                    e);
        } catch (WaitTimeoutException e) {
            throw new NodeBootException(
                    node,
                    "not ready: no '" + line + "' on ttyS0 within " + Durations.format(timing.scale(timeout)),
                    serial.tailSince(since, TAIL_LINES),
                    q.stderrTail(TAIL_LINES),
                    NodeBootException.Fix.SLOW_OR_BROKEN_GUEST,
                    e);
        }
    }
}
