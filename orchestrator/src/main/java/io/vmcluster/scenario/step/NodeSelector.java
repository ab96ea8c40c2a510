package io.vmcluster.scenario.step;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Which nodes a step acts on: {@code all}, one node, a list, a variable ({@code ${leader}}) or
 * all but some ({@code {all_except: ${leader}}}). Names may hold variables, so they are resolved
 * when the step runs.
 *
 * @param all every node of the cluster (minus {@code except})
 * @param names the named nodes (when not {@code all}); may contain {@code ${var}}
 * @param except nodes left out of {@code all}; may contain {@code ${var}}
 */
public record NodeSelector(boolean all, List<String> names, List<String> except) {
    public NodeSelector {
        names = List.copyOf(names);
        except = List.copyOf(except);
    }

    public static NodeSelector allNodes() {
        return new NodeSelector(true, List.of(), List.of());
    }

    public static NodeSelector of(String... names) {
        return new NodeSelector(false, List.of(names), List.of());
    }

    /**
     * The node names, variables substituted, in cluster order for {@code all}, else as written.
     *
     * @throws IllegalArgumentException naming an unknown node and listing the valid ones
     */
    public List<String> resolve(UnaryOperator<String> substitute, List<String> clusterNodes) {
        Set<String> left = new LinkedHashSet<>();
        for (String e : except) {
            left.add(check(substitute.apply(e), clusterNodes));
        }
        List<String> out = new ArrayList<>();
        if (all) {
            for (String n : clusterNodes) {
                if (!left.contains(n)) {
                    out.add(n);
                }
            }
        } else {
            for (String n : names) {
                String name = check(substitute.apply(n), clusterNodes);
                if (!out.contains(name)) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    private static String check(String name, List<String> clusterNodes) {
        String trimmed = name.strip();
        if (!clusterNodes.contains(trimmed)) {
            throw new IllegalArgumentException(
                    "unknown node '" + trimmed + "'; the nodes are " + String.join(", ", clusterNodes));
        }
        return trimmed;
    }

    /** True when this can only ever mean one node (one name, not {@code all}). */
    public boolean single() {
        return !all && names.size() == 1;
    }

    @Override
    public String toString() {
        if (all) {
            return except.isEmpty() ? "all" : "all except " + String.join(", ", except);
        }
        return String.join(", ", names);
    }
}
