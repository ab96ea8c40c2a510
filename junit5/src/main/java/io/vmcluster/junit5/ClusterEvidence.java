package io.vmcluster.junit5;

/**
 * Attached (as a suppressed exception) to a test's failure: where the class's results are, and
 * the last lines of every node's serial log and console transcript as they stood when it failed.
 * It has no stack trace of its own; the failure's is the one that matters.
 */
public final class ClusterEvidence extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ClusterEvidence(String message) {
        super(message, null, false, false);
    }
}
