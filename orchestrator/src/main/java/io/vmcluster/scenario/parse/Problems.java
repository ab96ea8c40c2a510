package io.vmcluster.scenario.parse;

import io.vmcluster.scenario.Location;
import io.vmcluster.scenario.Problem;
import io.vmcluster.scenario.ScenarioException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects every problem found while reading a file, so the user sees them all at once. */
public final class Problems {
    private final List<Problem> list = new ArrayList<>();

    public void add(Location where, String message) {
        list.add(new Problem(where, message));
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public List<Problem> list() {
        return List.copyOf(list);
    }

    /** Throws a {@link ScenarioException} with every problem, in file order, if there is any. */
    public void throwIfAny() {
        if (!list.isEmpty()) {
            List<Problem> sorted = new ArrayList<>(list);
            sorted.sort(Comparator.comparing((Problem p) -> p.location().file().toString())
                    .thenComparingInt(p -> p.location().line())
                    .thenComparingInt(p -> p.location().column()));
            throw new ScenarioException(sorted);
        }
    }
}
