package io.vmcluster.checker;

import io.vmcluster.history.History;

/**
 * A pure function from a history (and the run's fault windows on the same clock) to a verdict. It
 * reads nothing else, changes nothing, and returns the same verdict for the same input, inside a
 * run and in {@code vmcluster analyze} alike. It must never answer {@link Validity#VALID} when it
 * could not decide (a search that ran out, nothing to check): that is {@link Validity#UNKNOWN}.
 *
 * <pre>{@code
 * Checker noEmptyReads = new Checker() {
 *     public String name() { return "no-empty-reads"; }
 *     public Verdict check(History h, FaultWindows faults) {
 *         List<Operation> empty = h.operations(OpFunction.READ).stream()
 *                 .filter(o -> o.isOk() && o.value().isEmpty()).toList();
 *         if (empty.isEmpty()) return Verdict.valid(name(), "no read was empty", Map.of());
 *         Operation first = empty.get(0);
 *         return new Verdict(name(), Validity.INVALID, empty.size() + " empty reads; the first at "
 *                 + Times.shortSeconds(first.invokeTime()) + faults.during(first.invokeTime()),
 *                 Ops.lines(empty), Map.of("count", empty.size()));
 *     }
 * };
 * }</pre>
 */
public interface Checker {
    /** The name used in {@code --checker}, {@code checks.json} and verdicts, e.g. {@code set}. */
    String name();

    /** Checks the history; must not throw for any history {@link History#of} accepts. */
    Verdict check(History history, FaultWindows faults);
}
