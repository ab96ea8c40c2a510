package io.vmcluster.suite;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Every unit of a suite in its one order, and which shard runs which. The order does not depend on
 * how the scenarios were given (shells sort globs by locale): units are sorted by scenario name
 * (then round), and unit {@code i} (from 0) belongs to shard {@code (i mod N) + 1}. So every
 * machine given the same scenario files and {@code --repeat} computes the same split, the shards
 * are disjoint, together they hold every unit once, and their sizes differ by at most one. The
 * split balances counts, not durations.
 *
 * @param units every unit, in order
 */
public record SuitePlan(List<SuiteUnit> units) {
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]+");

    public SuitePlan {
        units = List.copyOf(units);
    }

    /**
     * The plan of {@code rounds} rounds of each named scenario.
     *
     * @throws IllegalArgumentException when two names share a results directory
     */
    public static SuitePlan of(List<String> scenarios, int rounds) {
        List<String> sorted = new ArrayList<>(scenarios);
        sorted.sort(Comparator.naturalOrder());
        TreeSet<String> dirs = new TreeSet<>();
        for (String s : sorted) {
            if (!dirs.add(dirName(s).toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("two scenarios would share the results directory " + dirName(s)
                        + "/ (scenario '" + s + "'): every scenario of a suite needs its own name");
            }
        }
        List<SuiteUnit> units = new ArrayList<>();
        for (String s : sorted) {
            for (int r = 1; r <= rounds; r++) units.add(new SuiteUnit(s, r, rounds));
        }
        return new SuitePlan(units);
    }

    /** The shard that runs unit {@code i} (from 0) when the suite is split into {@code count}. */
    public static int shardOf(int i, int count) {
        return i % count + 1;
    }

    /** The units {@code shard} runs, in plan order. */
    public List<SuiteUnit> share(Shard shard) {
        List<SuiteUnit> mine = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            if (shardOf(i, shard.count()) == shard.index()) mine.add(units.get(i));
        }
        return mine;
    }

    /** The shard of {@code unit} in a split into {@code count}. */
    public int shardOf(SuiteUnit unit, int count) {
        int i = units.indexOf(unit);
        if (i < 0) throw new IllegalArgumentException(unit + " is not in this plan");
        return shardOf(i, count);
    }

    /** A scenario's directory in the suite's results: its name, file-safe. */
    static String dirName(String scenario) {
        String d = UNSAFE.matcher(scenario).replaceAll("-");
        return d.isEmpty() || d.equals(".") || d.equals("..") ? "scenario" + d.replace('.', '-') : d;
    }
}
