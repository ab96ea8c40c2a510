package io.vmcluster.nemesis;

import io.vmcluster.fault.FaultKind;
import io.vmcluster.fault.FaultSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The schedule generator: a pure function of (seed, spec, node names). All randomness — which
 * fault, which nodes, when, for how long, a partition's shuffle — is drawn here from one {@link
 * SplittableRandom} seeded with the seed, before the run, so the same three inputs always give the
 * same {@link Schedule}.
 *
 * <p>The walk: a cursor starts at the first gap; at each step a fault is chosen by weight, its
 * duration drawn (cut short at the nemesis's length), and its nodes drawn among those on which it
 * meets no open fault it cannot go with ({@link NodeUse}). If too few nodes are free the cursor
 * moves to the next end of an open fault and tries again. After placing a fault the cursor moves
 * by a gap, counted from the start just made while fewer than {@code concurrency} faults are open,
 * else from the earliest end.
 */
public final class Nemesis {
    /** A bound on the faults of one schedule, far above any useful one; a guard against a typo'd gap. */
    static final int MAX_FAULTS = 10_000;

    private Nemesis() {}

    /**
     * The schedule {@code spec} gives with {@code seed} on a cluster of {@code nodes}.
     *
     * @throws IllegalArgumentException if the spec names a node that is not in {@code nodes}, or
     *     asks for more nodes than the cluster has
     */
    public static Schedule generate(long seed, NemesisSpec spec, List<String> nodes) {
        check(spec, nodes);
        SplittableRandom random = new SplittableRandom(seed);
        int totalWeight = spec.faults().stream().mapToInt(FaultChoice::weight).sum();
        List<ScheduledFault> placed = new ArrayList<>();
        Duration length = spec.length();
        Duration t = spec.gap().draw(random);
        while (t.compareTo(length) < 0 && placed.size() < MAX_FAULTS) {
            List<ScheduledFault> open = openAt(placed, t);
            if (open.size() >= spec.concurrency()) {
                t = earliestEnd(open).plus(spec.gap().draw(random));
                continue;
            }
            FaultChoice choice = pick(spec.faults(), totalWeight, random);
            Duration d = choice.fault().instant()
                    ? Duration.ZERO
                    : (choice.duration() == null ? spec.duration() : choice.duration()).draw(random);
            if (t.plus(d).compareTo(length) > 0) {
                d = length.minus(t);
            }
            Duration start = t;
            Duration end = t.plus(d);
            FaultKind kind = choice.fault().kind();
            Draw draw = new Draw(random, nodes, node -> free(placed, node, kind, start, end));
            FaultSpec<ScheduledNodes> fault = draw.apply(choice.fault());
            if (fault == null) {
                Duration next = nextEndAfter(placed, t);
                t = next == null ? t.plus(spec.gap().draw(random)) : next;
                continue;
            }
            placed.add(new ScheduledFault(placed.size() + 1, start, d, fault));
            List<ScheduledFault> nowOpen = openAt(placed, t);
            Duration from = nowOpen.size() < spec.concurrency() ? t : earliestEnd(nowOpen);
            t = from.plus(spec.gap().draw(random));
        }
        return new Schedule(seed, nodes, length, spec.recovery(), placed);
    }

    /** Names every node the spec names that the cluster lacks, and choices larger than the cluster. */
    private static void check(NemesisSpec spec, List<String> nodes) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a nemesis needs a cluster with at least one node");
        }
        for (FaultChoice c : spec.faults()) {
            c.fault().map(choice -> {
                if (choice instanceof NodeChoice.Named n) {
                    for (String name : n.names()) {
                        if (!nodes.contains(name)) {
                            throw new IllegalArgumentException("the nemesis fault '" + c.fault() + "' names node '"
                                    + name + "'; the nodes are " + String.join(", ", nodes));
                        }
                    }
                }
                choice.count(nodes.size()); // throws when the cluster is too small
                return choice;
            });
        }
    }

    private static FaultChoice pick(List<FaultChoice> choices, int totalWeight, SplittableRandom random) {
        if (choices.size() == 1) {
            return choices.get(0);
        }
        int r = random.nextInt(totalWeight);
        for (FaultChoice c : choices) {
            r -= c.weight();
            if (r < 0) {
                return c;
            }
        }
        throw new AssertionError(r);
    }

    /** The faults open at {@code t}: started at or before it, not yet ended (instants are never open). */
    private static List<ScheduledFault> openAt(List<ScheduledFault> placed, Duration t) {
        return placed.stream()
                .filter(f -> f.at().compareTo(t) <= 0 && f.end().compareTo(t) > 0)
                .toList();
    }

    private static Duration earliestEnd(List<ScheduledFault> open) {
        return open.stream().map(ScheduledFault::end).min(Duration::compareTo).orElseThrow();
    }

    private static Duration nextEndAfter(List<ScheduledFault> placed, Duration t) {
        return placed.stream()
                .map(ScheduledFault::end)
                .filter(e -> e.compareTo(t) > 0)
                .min(Duration::compareTo)
                .orElse(null);
    }

    /**
     * True if a fault of {@code kind} over [start, end] may take {@code node}: no placed fault on
     * it overlaps that it cannot go with.
     */
    static boolean free(List<ScheduledFault> placed, String node, FaultKind kind, Duration start, Duration end) {
        for (ScheduledFault f : placed) {
            if (!overlaps(f.at(), f.end(), start, end) || !names(f).contains(node)) {
                continue;
            }
            if (!NodeUse.compatible(f.fault().kind(), kind)) {
                return false;
            }
        }
        return true;
    }

    /** Half-open windows overlap; an instant is taken as its first millisecond. */
    static boolean overlaps(Duration s1, Duration e1, Duration s2, Duration e2) {
        Duration end1 = s1.equals(e1) ? e1.plusMillis(1) : e1;
        Duration end2 = s2.equals(e2) ? e2.plusMillis(1) : e2;
        return s1.compareTo(end2) < 0 && s2.compareTo(end1) < 0;
    }

    /** The names a scheduled fault holds (a probe holds none known before the run). */
    static Set<String> names(ScheduledFault f) {
        Set<String> out = new HashSet<>();
        f.fault().map(n -> {
            if (n instanceof ScheduledNodes.Names names) {
                out.addAll(names.names());
            }
            return n;
        });
        return out;
    }
}
