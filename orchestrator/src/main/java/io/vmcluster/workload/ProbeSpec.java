package io.vmcluster.workload;

import io.vmcluster.history.OpFunction;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A sampler: runs {@code command} in the guest of each of {@code nodes} every {@code every} while
 * the workload runs, and appends what it said as a probe line of the history (see {@link
 * io.vmcluster.history.Probe}); a failed or timed-out command is a sample without a value.
 *
 * @param f the sample's {@code f}, e.g. {@code leader-status}
 * @param command the guest command ({@code ${node}} and the run's variables substituted)
 * @param every the interval between the end of one sample and the start of the next, per node
 * @param parse how its stdout becomes the sample's value (default: the whole output as JSON)
 * @param nodes the nodes sampled; empty for every node
 */
public record ProbeSpec(OpFunction f, String command, Duration every, ValueParser parse, List<String> nodes) {
    public ProbeSpec {
        Objects.requireNonNull(f, "f");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(every, "every");
        Objects.requireNonNull(parse, "parse");
        nodes = List.copyOf(nodes);
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("a probe's interval must be positive, got " + every);
        }
        if (parse.kind() == ValueParser.Kind.INPUT) {
            throw new IllegalArgumentException("a probe has no input value; parse its output");
        }
    }

    /** {@code command} as {@code f} on every node every {@code every}, output read as JSON. */
    public static ProbeSpec of(OpFunction f, String command, Duration every) {
        return new ProbeSpec(f, command, every, ValueParser.json("$"), List.of());
    }
}
