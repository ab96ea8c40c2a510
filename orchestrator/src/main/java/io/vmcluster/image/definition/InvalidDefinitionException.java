package io.vmcluster.image.definition;

import io.vmcluster.yaml.Problem;
import java.util.List;

/**
 * An image definition (image.yaml, or a build option about it) is not valid. Carries every
 * problem found, each located ({@code file:line:column}); nothing was downloaded or booted. Exit 2.
 */
public final class InvalidDefinitionException extends RuntimeException {
    private final List<Problem> problems;

    public InvalidDefinitionException(List<Problem> problems) {
        super(message(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an InvalidDefinitionException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** Every problem, in file order. */
    public List<Problem> problems() {
        return problems;
    }

    private static String message(List<Problem> problems) {
        StringBuilder sb = new StringBuilder();
        sb.append(problems.size() == 1 ? "1 problem" : problems.size() + " problems")
                .append(" in image definition:");
        for (Problem p : problems) {
            sb.append("\n  ").append(p);
        }
        return sb.toString();
    }
}
