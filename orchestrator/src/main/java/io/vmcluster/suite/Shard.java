package io.vmcluster.suite;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One machine's share of a suite: shard {@code index} of {@code count} ({@code --shard 2/3}), both
 * from 1. Which units a shard runs is {@link SuitePlan#shardOf(int)}'s rule.
 *
 * @param index which share, 1 to {@code count}
 * @param count how many machines share the suite
 */
public record Shard(int index, int count) {
    /** The most shards a suite may be split into. */
    public static final int MAX_COUNT = 10_000;

    /** The whole suite on one machine. */
    public static final Shard ALL = new Shard(1, 1);

    private static final Pattern FORM = Pattern.compile("(\\d{1,9})/(\\d{1,9})");

    public Shard {
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("the shard count N must be 1 to " + MAX_COUNT + ", found " + count);
        }
        if (index < 1 || index > count) {
            throw new IllegalArgumentException("the shard K must be 1 to N (" + count + "), found " + index);
        }
    }

    /**
     * Reads {@code K/N}, e.g. {@code 2/3}.
     *
     * @throws IllegalArgumentException saying what is wrong and what is valid
     */
    public static Shard parse(String text) {
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not K/N: give this machine's shard K and the number"
                    + " of shards N, whole numbers with 1 <= K <= N (e.g. 2/3)");
        }
        try {
            return new Shard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "': " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
