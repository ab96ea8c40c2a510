package io.vmcluster.cli.doctor;

import java.time.Duration;
import java.util.List;

/** Runs a host command with a timeout. The seam the checks are tested through. */
public interface Shell {
    /** Runs {@code argv}; a command that does not exist gives exit code 127 and the reason in stderr. */
    Result run(Duration timeout, List<String> argv);

    default Result run(Duration timeout, String... argv) {
        return run(timeout, List.of(argv));
    }

    /**
     * @param exitCode the exit status (127 when the program could not be started, -1 on timeout)
     * @param stdout what it printed
     * @param stderr what it complained about
     */
    record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** stderr, else stdout, trimmed to its first line: what to show a person. */
        public String why() {
            String s = stderr.isBlank() ? stdout : stderr;
            s = s.strip();
            int nl = s.indexOf('\n');
            return nl < 0 ? s : s.substring(0, nl);
        }
    }
}
