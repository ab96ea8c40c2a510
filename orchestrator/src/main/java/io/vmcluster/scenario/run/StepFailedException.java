package io.vmcluster.scenario.run;

/** A step failed; carries the evidence. */
public final class StepFailedException extends RuntimeException {
    private final StepFailure failure;

    public StepFailedException(StepFailure failure) {
        super(failure.message(), null, false, false);
        this.failure = failure;
    }

    public StepFailure failure() {
        return failure;
    }
}
