package io.vmcluster.scenario.step;

import io.vmcluster.yaml.Location;

/**
 * One step of a test. Every step knows where it is written, for error messages, and may carry the
 * user's name for it ({@code name:} or {@code label:}), which the console, the events and the JUnit
 * report show instead of the step's own text.
 */
public sealed interface Step
        permits CommandStep,
                WaitUntilStep,
                WaitForStep,
                FindNodeStep,
                ServiceStep,
                LifecycleStep,
                FaultStep,
                HealStep,
                RepeatStep,
                ParallelStep,
                SleepStep,
                LogStep,
                CopyStep,
                WorkloadStep,
                WorkloadEndStep,
                SnapshotStep,
                BackupStep,
                NemesisStep,
                WanStep,
                UpgradeStep {
    Location location();

    /** The step as a person would say it ({@code succeed on node1: curl ...}), in full. */
    String describe();

    /** The user's name for the step ({@code name:} / {@code label:}), or null. */
    String label();

    /**
     * What reports call the step: its label, else its text, cut at the first line break (a
     * multi-line command shows its first line and {@code …}); {@link #describe()} keeps it all.
     */
    default String title() {
        if (label() != null) {
            return label();
        }
        String text = describe();
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl).stripTrailing() + " …";
    }
}
