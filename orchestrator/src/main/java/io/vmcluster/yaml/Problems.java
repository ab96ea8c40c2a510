package io.vmcluster.yaml;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects every problem found while reading a file, so the user sees them all at once instead of
 * fixing one per run. Readers add to it and carry on where they can; the caller turns a non-empty
 * collection into its own exception (a scenario's, a cluster definition's, an image's).
 */
public final class Problems {
    private static final Comparator<Problem> FILE_ORDER = Comparator.comparing(
                    (Problem p) -> p.location().file().toString())
            .thenComparingInt(p -> p.location().line())
            .thenComparingInt(p -> p.location().column());

    private final List<Problem> list = new ArrayList<>();

    public void add(Location where, String message) {
        list.add(new Problem(where, message));
    }

    public void add(Problem problem) {
        list.add(problem);
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    /** How many problems so far (a reader compares counts to see whether a part of it failed). */
    public int size() {
        return list.size();
    }

    /** The problems in the order they were found. */
    public List<Problem> list() {
        return List.copyOf(list);
    }

    /** The problems in file order (file, line, column), the order people read them in. */
    public List<Problem> sorted() {
        List<Problem> sorted = new ArrayList<>(list);
        sorted.sort(FILE_ORDER);
        return sorted;
    }
}
