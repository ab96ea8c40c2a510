package io.vmcluster.scenario.step;

import io.vmcluster.yaml.Location;

/** One step of a test. Every step knows where it is written, for error messages. */
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
                LogStep {
    Location location();

    /** The step as a person would say it ({@code succeed on node1: curl ...}). */
    String describe();
}
