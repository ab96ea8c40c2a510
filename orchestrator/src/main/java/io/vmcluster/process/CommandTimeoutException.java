package io.vmcluster.process;

import io.vmcluster.time.Durations;
import java.time.Duration;
import java.util.List;

/** A short command did not finish within its timeout and was killed. Carries what it printed. */
public final class CommandTimeoutException extends RuntimeException {
    private final List<String> argv;

    public CommandTimeoutException(List<String> argv, Duration timeout, String stdout, String stderr) {
        super("command did not finish within " + Durations.format(timeout) + " and was killed: "
                + String.join(" ", argv)
                + (stdout.isBlank() ? "" : "\nstdout so far: " + stdout.strip())
                + (stderr.isBlank() ? "" : "\nstderr so far: " + stderr.strip()));
        this.argv = List.copyOf(argv);
    }

    /** The command that timed out. */
    public List<String> argv() {
        return argv;
    }
}
