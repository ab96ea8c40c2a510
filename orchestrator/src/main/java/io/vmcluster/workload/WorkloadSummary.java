package io.vmcluster.workload;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What a workload did, counted by the driver (the checkers judge the history; this is for people and
 * events).
 *
 * @param name the workload
 * @param invoked operations started by the clients (final reads not counted)
 * @param ok completions classified ok (of the clients' operations; final reads are not counted here)
 * @param fail completions classified fail
 * @param info completions classified info
 * @param elapsed from the start until the last client stopped
 * @param finalReads final reads recorded (one per node), 0 when the workload has none
 * @param quiesced whether the nodes agreed before the final reads (null when there are none)
 * @param quiescence what the nodes said last while waiting to agree, or null
 * @param probeSamples probe samples recorded
 * @param errors faults of the driver itself (not of the cluster): a bug, a history that could not be
 *     written; a workload with errors has an untrustworthy history
 */
public record WorkloadSummary(
        String name,
        long invoked,
        long ok,
        long fail,
        long info,
        Duration elapsed,
        int finalReads,
        Boolean quiesced,
        String quiescence,
        long probeSamples,
        List<String> errors) {
    public WorkloadSummary {
        errors = List.copyOf(errors);
    }

    /** Operations per second the clients completed. */
    public double opsPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : (ok + fail + info) / s;
    }

    /** {@code jobs: 412 ops in 30.1 s (13.7/s): 398 ok, 2 fail, 12 info; 3 final reads; 90 probe samples}. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        s.append(name).append(": ").append(invoked).append(" ops in ");
        s.append(String.format(Locale.ROOT, "%.1f s (%.1f/s)", elapsed.toNanos() / 1e9, opsPerSecond()));
        s.append(": ")
                .append(ok)
                .append(" ok, ")
                .append(fail)
                .append(" fail, ")
                .append(info)
                .append(" info");
        if (quiesced != null) {
            s.append("; ")
                    .append(finalReads)
                    .append(" final reads")
                    .append(
                            quiesced
                                    ? " after the nodes agreed"
                                    : " (the nodes did not agree in time: " + quiescence + ")");
        }
        if (probeSamples > 0) s.append("; ").append(probeSamples).append(" probe samples");
        if (!errors.isEmpty()) s.append("; driver errors: ").append(String.join("; ", errors));
        return s.toString();
    }
}
