package io.vmcluster.cluster.spec;

/**
 * One thing wrong with a cluster definition.
 *
 * @param path where, in the definition's own terms: {@code nodes[1].memory}, {@code lans[0].nodes[2]}
 * @param message what is wrong and what would be valid
 */
public record SpecProblem(String path, String message) {
    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
