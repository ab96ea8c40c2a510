package io.vmcluster.checker;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.history.History;
import io.vmcluster.history.OpFunction;
import io.vmcluster.history.Probe;
import io.vmcluster.history.Times;
import io.vmcluster.history.Values;
import io.vmcluster.time.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * For each fault, the seconds from its start until a leader is known again, from {@code
 * leader-status} probe samples taken since the fault started. A leader is known at a sample's time
 * when, in the latest sample of each node since the fault started, a majority of the probed nodes
 * name the same leader in the same term and that leader's own sample claims leadership in that term.
 *
 * <p>Limit: the probes see what nodes believe. A leader cut off from its followers that still
 * believes it leads, with followers that have not yet timed out, counts as known until they do; a
 * crashed or paused leader (which does not answer) does not.
 *
 * <p>Options: {@code slo} (a duration: a fault after which no leader was known within it fails the
 * check), {@code kinds} (fault kinds to measure, separated by {@code /}, e.g. {@code crash/pause};
 * default every kind but {@code capture}). Without an SLO the verdict is valid with the figures, or
 * unknown when after some fault no leader was known again before the history ended.
 */
public final class TimeToLeaderChecker implements Checker {
    public static final String NAME = "time-to-leader";
    private final Duration slo;
    private final Set<String> kinds;

    /**
     * @param slo the longest acceptable time to a leader, or null for none
     * @param kinds the fault kinds to measure; empty for all but captures
     */
    public TimeToLeaderChecker(Duration slo, Set<String> kinds) {
        this.slo = slo;
        this.kinds = Set.copyOf(kinds);
    }

    static TimeToLeaderChecker from(CheckerOptions o) {
        Duration slo = o.duration("slo", null);
        String k = o.text("kinds", "");
        Set<String> kinds = new TreeSet<>();
        for (String s : k.split("/")) {
            if (!s.isBlank()) {
                kinds.add(s.trim());
            }
        }
        return new TimeToLeaderChecker(slo, kinds);
    }

    @Override
    public String name() {
        return NAME;
    }

    private record Leader(long term, JsonNode leader) {}

    @Override
    public Verdict check(History history, FaultWindows faults) {
        List<Probe> samples = history.probes().stream()
                .filter(p -> p.f().equals(OpFunction.LEADER_STATUS))
                .toList();
        Map<String, Object> d = new LinkedHashMap<>();
        if (slo != null) {
            d.put("slo-ms", slo.toMillis());
        }
        if (samples.isEmpty()) {
            return Verdict.unknown(NAME, "the history has no " + OpFunction.LEADER_STATUS + " probe samples", d);
        }
        Set<String> nodes = new TreeSet<>();
        samples.forEach(p -> nodes.add(p.node()));
        int majority = nodes.size() / 2 + 1;
        List<FaultWindow> measured = faults.all().stream()
                .filter(w -> kinds.isEmpty() ? !w.kind().equals("capture") : kinds.contains(w.kind()))
                .toList();
        if (measured.isEmpty()) {
            String why = faults.note() != null
                    ? faults.note()
                    : "no fault" + (kinds.isEmpty() ? "" : " of kind " + kinds) + " happened";
            return Verdict.unknown(NAME, "nothing to measure: " + why, d);
        }
        List<Map<String, Object>> perFault = new ArrayList<>();
        List<String> slow = new ArrayList<>();
        List<String> never = new ArrayList<>();
        List<String> figures = new ArrayList<>();
        for (FaultWindow w : measured) {
            Map<String, Probe> latest = new HashMap<>();
            Long found = null;
            Leader who = null;
            for (Probe p : samples) {
                if (p.time() < w.start()) {
                    continue;
                }
                latest.put(p.node(), p);
                Leader l = known(latest, majority);
                if (l != null) {
                    found = p.time() - w.start();
                    who = l;
                    break;
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("fault", w.id());
            m.put("kind", w.kind());
            m.put("target", w.target());
            m.put("start", w.start());
            m.put("ms", found == null ? null : found / 1_000_000);
            if (who != null) {
                m.put("term", who.term());
                m.put("leader", who.leader());
            }
            perFault.add(m);
            String name = w.describe() + " at " + Times.shortSeconds(w.start());
            if (found == null) {
                never.add(name + ": no leader known again by the end of the history ("
                        + Times.shortSeconds(history.endTime() - w.start()) + " later)");
            } else {
                String fig = name + ": " + Times.shortSeconds(found) + " (" + Values.show(who.leader()) + ", term "
                        + who.term() + ")";
                figures.add(fig);
                if (slo != null && found > slo.toNanos()) {
                    slow.add(fig);
                }
            }
        }
        d.put("faults", perFault);
        d.put("nodes", new ArrayList<>(nodes));
        String all = String.join("; ", figures);
        if (slo != null && (!slow.isEmpty() || !never.isEmpty())) {
            List<String> bad = new ArrayList<>(never);
            bad.addAll(slow);
            return new Verdict(
                    NAME,
                    Validity.INVALID,
                    (slow.size() + never.size()) + " of " + measured.size()
                            + " faults took longer than the SLO of " + Durations.format(slo) + " to a leader: "
                            + String.join("; ", bad),
                    List.of(),
                    d);
        }
        if (!never.isEmpty()) {
            return Verdict.unknown(NAME, String.join("; ", never) + (all.isEmpty() ? "" : "; " + all), d);
        }
        return Verdict.valid(
                NAME,
                "time to a leader after each fault: " + all
                        + (slo == null ? "" : " (all within " + Durations.format(slo) + ")"),
                d);
    }

    /** The leader a majority's latest samples agree on and who claims it itself, or null. */
    private static Leader known(Map<String, Probe> latest, int majority) {
        Map<Leader, Integer> votes = new HashMap<>();
        Set<Leader> claimed = new java.util.HashSet<>();
        for (Probe p : latest.values()) {
            if (!p.answered() || p.term().isEmpty() || p.leader().isEmpty()) {
                continue;
            }
            Leader l = new Leader(p.term().get(), p.leader().get());
            votes.merge(l, 1, Integer::sum);
            if (p.claimsLeadership()) {
                claimed.add(l);
            }
        }
        for (Map.Entry<Leader, Integer> e : votes.entrySet()) {
            if (e.getValue() >= majority && claimed.contains(e.getKey())) {
                return e.getKey();
            }
        }
        return null;
    }
}
