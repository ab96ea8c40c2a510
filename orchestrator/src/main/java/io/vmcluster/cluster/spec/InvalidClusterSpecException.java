package io.vmcluster.cluster.spec;

import java.util.List;

/** A cluster definition is invalid; the message lists every problem found, one a line. */
public final class InvalidClusterSpecException extends IllegalArgumentException {
    private final List<String> problems;

    public InvalidClusterSpecException(String source, List<String> problems) {
        super(message(source, problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem as one line, already located (file:line:column or definition path). */
    public List<String> problems() {
        return problems;
    }

    private static String message(String source, List<String> problems) {
        StringBuilder sb = new StringBuilder("invalid cluster definition ")
                .append(source)
                .append(" (")
                .append(problems.size())
                .append(problems.size() == 1 ? " problem)" : " problems)");
        for (String p : problems) {
            sb.append("\n  ").append(p);
        }
        return sb.toString();
    }
}
