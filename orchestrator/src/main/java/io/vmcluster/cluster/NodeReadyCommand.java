package io.vmcluster.cluster;

import io.vmcluster.channel.CommandChannel;
import io.vmcluster.command.CommandResult;
import io.vmcluster.qemu.QemuProcess;
import io.vmcluster.qemu.SerialLog;
import io.vmcluster.time.Deadline;
import io.vmcluster.time.Durations;
import io.vmcluster.time.Timing;
import io.vmcluster.time.Wait;
import io.vmcluster.time.WaitTimeoutException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A readiness command (the image's {@code readiness.command}, or a cluster's {@code
 * ready_command}): run on the node's console after the readiness line, again and again, until it
 * exits 0, within the deadline of the boot it belongs to. It ends at once when QEMU exits and
 * waits on while the node is paused.
 *
 * @param command the guest command
 * @param from where it was declared, for the message ("the image etcd-test", "the cluster definition")
 */
record NodeReadyCommand(String command, String from) {
    private static final int TAIL_LINES = 30;

    /**
     * Waits until the command exits 0.
     *
     * @throws NodeBootException naming the command, where it came from, and its last result
     */
    void await(
            String node,
            CommandChannel console,
            QemuProcess q,
            SerialLog serial,
            Timing timing,
            Deadline deadline,
            Duration nominalTimeout,
            Supplier<NodeState> state) {
        String[] last = {"it never ran"};
        try {
            Wait.forCondition(
                            "node " + node + ": the readiness command `" + command + "` (from " + from + ") to exit 0")
                    .timing(timing)
                    .every(Duration.ofMillis(200), Duration.ofSeconds(1))
                    .until(deadline, () -> {
                        if (q.exit().isPresent()) {
                            throw Wait.giveUp(q.exit().get().describe());
                        }
                        if (state.get() == NodeState.PAUSED) {
                            throw Wait.notYet("the node is paused");
                        }
                        CommandResult r;
                        try {
                            r = console.run(command, nominal(timing, deadline.remaining()));
                        } catch (RuntimeException e) {
                            if (q.exit().isPresent()) {
                                throw Wait.giveUp(q.exit().get().describe());
                            }
                            last[0] = "the console: " + e.getMessage();
                            throw Wait.notYet(last[0]);
                        }
                        if (r.succeeded()) {
                            return Boolean.TRUE;
                        }
                        last[0] = "exit code " + r.exitCode() + ", stdout: " + tail(r.stdoutText()) + ", stderr: "
                                + tail(r.stderrText());
                        throw Wait.notYet(last[0]);
                    });
        } catch (Wait.GiveUp e) {
            var exit = q.exit().orElseThrow();
            throw new NodeBootException(
                    node,
                    "not ready: " + exit.describe() + " while waiting for the readiness command `" + command
                            + "` (from " + from + ")",
                    exit.serialTail(),
                    exit.stderrTail(),
                    NodeBootException.Fix.QEMU_EXITED,
                    e);
        } catch (WaitTimeoutException e) {
            throw new NodeBootException(
                    node,
                    "not ready: the readiness command `" + command + "` (from " + from + ") did not exit 0 within "
                            + Durations.format(timing.scale(nominalTimeout)) + "; its last run: " + last[0],
                    serial.tail(TAIL_LINES),
                    q.stderrTail(TAIL_LINES),
                    NodeBootException.Fix.SLOW_OR_BROKEN_GUEST,
                    e);
        }
    }

    private static Duration nominal(Timing timing, Duration scaled) {
        Duration n = timing.nominal(scaled);
        return n.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : n;
    }

    private static String tail(String s) {
        String t = s.strip();
        return t.isEmpty()
                ? "(nothing)"
                : t.length() <= 400 ? "'" + t + "'" : "'…" + t.substring(t.length() - 400) + "'";
    }
}
