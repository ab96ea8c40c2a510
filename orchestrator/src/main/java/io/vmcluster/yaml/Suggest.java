package io.vmcluster.yaml;

import java.util.Collection;
import java.util.Locale;

/**
 * "Did you mean …?" for a misspelt name: the nearest candidate by Damerau–Levenshtein distance
 * (insert, delete, substitute, and an adjacent swap as one edit), case-insensitive, and only when
 * it is close enough to be a typo: at most {@code max(2, length / 3)} edits.
 *
 * <pre>{@code
 * Suggest.didYouMean("timout", List.of("on", "timeout"))   // "; did you mean 'timeout'?"
 * }</pre>
 */
public final class Suggest {
    /** Words longer than this are not typos of a field name; comparing them would only cost time. */
    private static final int MAX_WORD = 64;

    private Suggest() {}

    /** The nearest candidate to {@code word}, or null when none is close enough to be a typo. */
    public static String nearest(String word, Collection<String> candidates) {
        if (word == null || word.length() > MAX_WORD) {
            return null;
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            if (c.length() > MAX_WORD) {
                continue;
            }
            int d = distance(word.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        int allowed = Math.max(2, word.length() / 3);
        return bestDistance <= allowed ? best : null;
    }

    /** {@code "; did you mean 'x'?"}, or the empty string when nothing is close. */
    public static String didYouMean(String word, Collection<String> candidates) {
        String n = nearest(word, candidates);
        return n == null ? "" : "; did you mean '" + n + "'?";
    }

    /** Damerau–Levenshtein (optimal string alignment) distance. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[a.length()][b.length()];
    }
}
