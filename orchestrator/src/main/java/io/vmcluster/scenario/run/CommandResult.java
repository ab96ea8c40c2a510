package io.vmcluster.scenario.run;

import java.time.Duration;

/** What a command in a guest gave: exit code, stdout, stderr (separately), and how long it took. */
public record CommandResult(int exitCode, String stdout, String stderr, Duration took) {
    public CommandResult {
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
        took = took == null ? Duration.ZERO : took;
    }
}
