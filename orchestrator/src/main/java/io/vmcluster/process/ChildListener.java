package io.vmcluster.process;

/**
 * Told about every child a {@link ProcessLauncher} starts and sees exit; the run registry uses it
 * to record pids in the run directory so a later run can reclaim what a killed JVM left.
 */
public interface ChildListener {
    /** Called once the child runs (before {@link ProcessLauncher#start} returns). */
    void started(ChildProcess child);

    /** Called once the child has exited. */
    void exited(ChildProcess child);

    /** A listener that does nothing. */
    ChildListener NONE = new ChildListener() {
        @Override
        public void started(ChildProcess child) {}

        @Override
        public void exited(ChildProcess child) {}
    };
}
