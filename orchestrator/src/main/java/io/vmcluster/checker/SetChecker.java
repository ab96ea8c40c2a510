package io.vmcluster.checker;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.history.History;
import io.vmcluster.history.OpFunction;
import io.vmcluster.history.Operation;
import io.vmcluster.history.Times;
import io.vmcluster.history.Values;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Jepsen's set-full: {@code add v} operations and {@code read [v...]} operations that return the
 * whole set. For every element added it follows the reads that began after the element was known
 * (its add acknowledged, or a read saw it, whichever came first):
 *
 * <ul>
 *   <li><b>lost</b>: known, and the last read that missed it began after every read that saw it
 *       (and after it was known) — typically the final reads after heal do not have it;
 *   <li><b>stale</b>: known, missed by a read that began after it was known, but seen again by a
 *       later read (the read was served by a node that was behind);
 *   <li><b>stable</b>: from some point on every read has it;
 *   <li><b>never read</b>: no read began after it was known (or its add failed and nobody saw it);
 *   <li><b>recovered</b>: its add ended in {@code info} (unknown) and a read saw it;
 *   <li><b>unexpected</b>: a read returned it but nobody tried to add it;
 *   <li><b>duplicated</b>: one read returned it more than once.
 * </ul>
 *
 * Invalid when anything is lost, unexpected or duplicated, and, with {@code linearizable=true}, when
 * any read was stale. Unknown when no read succeeded, or nothing was ever stable. Operations are
 * grouped by key: each key is its own set.
 */
public final class SetChecker implements Checker {
    public static final String NAME = "set";
    private final boolean linearizable;

    /** @param linearizable whether stale reads fail the check (Jepsen's {@code :linearizable?}) */
    public SetChecker(boolean linearizable) {
        this.linearizable = linearizable;
    }

    static SetChecker from(CheckerOptions o) {
        return new SetChecker(o.bool("linearizable", false));
    }

    @Override
    public String name() {
        return NAME;
    }

    private static final class Element {
        final JsonNode value;
        Operation add;
        long knownIndex = Long.MAX_VALUE;
        long knownTime;
        Operation knownBy;
        Operation lastPresent;
        Operation lastAbsent;
        Operation firstAbsentAfterKnown;

        Element(JsonNode value) {
            this.value = value;
        }

        void known(long index, long time, Operation by) {
            if (index < knownIndex) {
                knownIndex = index;
                knownTime = time;
                knownBy = by;
            }
        }
    }

    @Override
    public Verdict check(History history, FaultWindows faults) {
        Map<JsonNode, List<Operation>> byKey =
                history.byKey(o -> o.f().equals(OpFunction.ADD) || o.f().equals(OpFunction.READ));
        if (byKey.isEmpty()) {
            return Verdict.unknown(NAME, "the history has no add or read operations", Map.of());
        }
        List<Verdict> perKey = new ArrayList<>();
        for (Map.Entry<JsonNode, List<Operation>> e : byKey.entrySet()) {
            perKey.add(checkKey(e.getKey(), e.getValue(), faults));
        }
        return perKey.size() == 1 ? perKey.get(0) : Verdicts.combine(NAME, perKey);
    }

    private Verdict checkKey(JsonNode key, List<Operation> ops, FaultWindows faults) {
        String k = Ops.keyPrefix(key);
        Map<JsonNode, Element> elements = new LinkedHashMap<>();
        List<Operation> reads = new ArrayList<>();
        for (Operation o : ops) {
            if (o.f().equals(OpFunction.ADD)) {
                Element el = elements.computeIfAbsent(o.input(), Element::new);
                if (el.add == null) {
                    el.add = o;
                }
                if (o.isOk()) {
                    el.known(o.completeIndex(), o.completeTime(), o);
                }
            } else if (o.isOk()) {
                reads.add(o);
            }
        }
        if (reads.isEmpty()) {
            return Verdict.unknown(
                    NAME,
                    k + "no read succeeded, so nothing can be said about " + Ops.plural(elements.size(), "add"),
                    Map.of("attempt-count", elements.size()));
        }
        Map<JsonNode, Integer> duplicated = new TreeMap<>(Verdicts.VALUE_ORDER);
        Map<JsonNode, Operation> unexpected = new LinkedHashMap<>();
        // reads in completion order, so "known" (first read to see it) is the earliest completion
        List<Operation> byCompletion = new ArrayList<>(reads);
        byCompletion.sort(java.util.Comparator.comparingLong(Operation::completeIndex));
        for (Operation r : byCompletion) {
            Map<JsonNode, Integer> counts = new HashMap<>();
            for (JsonNode v : Values.elements(r.value())) {
                counts.merge(v, 1, Integer::sum);
            }
            counts.forEach((v, n) -> {
                if (n > 1) {
                    duplicated.merge(v, n, Math::max);
                }
                Element el = elements.get(v);
                if (el == null) {
                    unexpected.putIfAbsent(v, r);
                } else {
                    el.known(r.completeIndex(), r.completeTime(), r);
                }
            });
        }
        for (Operation r : reads) { // invocation order
            Set<JsonNode> seen = new HashSet<>(Values.elements(r.value()));
            for (Element el : elements.values()) {
                if (seen.contains(el.value)) {
                    el.lastPresent = r;
                } else {
                    el.lastAbsent = r;
                    if (el.knownIndex < r.invoke().index() && el.firstAbsentAfterKnown == null) {
                        el.firstAbsentAfterKnown = r;
                    }
                }
            }
        }
        List<Element> lost = new ArrayList<>();
        List<Element> stale = new ArrayList<>();
        List<Element> recovered = new ArrayList<>();
        int stable = 0;
        int neverRead = 0;
        int acknowledged = 0;
        for (Element el : elements.values()) {
            if (el.add != null && el.add.isOk()) {
                acknowledged++;
            }
            if (el.add != null && el.add.isIndeterminate() && el.knownBy != null) {
                recovered.add(el);
            }
            long present = el.lastPresent == null ? -1 : el.lastPresent.invoke().index();
            long absent = el.lastAbsent == null ? -1 : el.lastAbsent.invoke().index();
            boolean isStable = el.lastPresent != null && absent < present;
            boolean isLost = el.knownBy != null && el.lastAbsent != null && present < absent && el.knownIndex < absent;
            if (isLost) {
                lost.add(el);
            } else if (isStable) {
                stable++;
                if (el.firstAbsentAfterKnown != null) {
                    stale.add(el);
                }
            } else {
                neverRead++;
            }
        }
        Map<String, Object> d = new LinkedHashMap<>();
        if (key != null) {
            d.put("key", key);
        }
        d.put("attempt-count", elements.size());
        d.put("acknowledged-count", acknowledged);
        d.put("stable-count", stable);
        d.put("lost-count", lost.size());
        d.put("lost", values(lost));
        d.put("stale-count", stale.size());
        d.put("stale", values(stale));
        d.put("recovered-count", recovered.size());
        d.put("recovered", values(recovered));
        d.put("never-read-count", neverRead);
        d.put("unexpected-count", unexpected.size());
        d.put("unexpected", Ops.sample(unexpected.keySet(), 100));
        d.put("duplicated-count", duplicated.size());
        d.put("duplicated", new ArrayList<>(duplicated.keySet()).subList(0, Math.min(100, duplicated.size())));
        d.put("linearizable", linearizable);

        List<String> problems = new ArrayList<>();
        List<Operation> involved = new ArrayList<>();
        if (!lost.isEmpty()) {
            Element first = lost.stream()
                    .min(java.util.Comparator.comparingLong(e -> e.knownTime))
                    .orElseThrow();
            String how = first.knownBy == first.add ? "acknowledged" : "first seen";
            problems.add(
                    lost.size() + " of " + acknowledged + " acknowledged adds lost: " + Ops.firstFew(valueList(lost))
                            + "; first lost add " + how + " at " + Times.shortSeconds(first.knownTime)
                            + faults.during(first.knownTime) + ", missing from the read invoked at "
                            + Times.shortSeconds(first.lastAbsent.invokeTime())
                            + (first.lastAbsent.node() == null ? "" : " on " + first.lastAbsent.node()));
            involved.add(first.knownBy);
            involved.add(first.lastAbsent);
        }
        if (!unexpected.isEmpty()) {
            Map.Entry<JsonNode, Operation> first =
                    unexpected.entrySet().iterator().next();
            problems.add(
                    unexpected.size() + " unexpected elements (never added) read: " + Ops.firstFew(unexpected.keySet())
                            + "; first in the read completed at "
                            + Times.shortSeconds(first.getValue().completeTime())
                            + faults.during(first.getValue().completeTime()));
            involved.add(first.getValue());
        }
        if (!duplicated.isEmpty()) {
            problems.add(duplicated.size() + " elements read more than once in one read: "
                    + Ops.firstFew(duplicated.keySet()));
        }
        String staleText = stale.isEmpty()
                ? ""
                : stale.size() + " stale (missed by a read that began after they were known, seen later): "
                        + Ops.firstFew(valueList(stale)) + "; first stale read invoked at "
                        + Times.shortSeconds(stale.get(0).firstAbsentAfterKnown.invokeTime())
                        + faults.during(stale.get(0).firstAbsentAfterKnown.invokeTime());
        if (linearizable && !stale.isEmpty()) {
            problems.add(staleText);
            involved.add(stale.get(0).knownBy);
            involved.add(stale.get(0).firstAbsentAfterKnown);
        }
        String counts = elements.size() + " attempted, " + acknowledged + " acknowledged, " + stable + " stable, "
                + recovered.size() + " recovered (info adds that appeared), " + neverRead + " never read";
        if (!problems.isEmpty()) {
            return new Verdict(
                    NAME,
                    Validity.INVALID,
                    k + String.join("; ", problems) + " (" + counts + ")",
                    Ops.lines(involved),
                    d);
        }
        String tail = staleText.isEmpty() ? "" : "; " + staleText + " (allowed: linearizable=false)";
        if (stable == 0) {
            return Verdict.unknown(NAME, k + "no element was ever stable in the reads (" + counts + ")" + tail, d);
        }
        return Verdict.valid(NAME, k + "no acknowledged add lost (" + counts + ")" + tail, d);
    }

    private static List<Object> values(List<Element> els) {
        return Ops.sample(valueList(els), 100);
    }

    private static Collection<JsonNode> valueList(List<Element> els) {
        List<JsonNode> v = new ArrayList<>();
        els.forEach(e -> v.add(e.value));
        v.sort(Verdicts.VALUE_ORDER);
        return v;
    }
}
