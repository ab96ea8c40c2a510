package io.vmcluster.fault;

import java.util.Objects;

/** What a command run by a fault (in the guest or in the namespace) returned. */
public record ExecResult(int exitCode, String stdout, String stderr) {
    public ExecResult {
        stdout = Objects.requireNonNullElse(stdout, "");
        stderr = Objects.requireNonNullElse(stderr, "");
    }

    public boolean ok() {
        return exitCode == 0;
    }

    /** Exit code and output, trimmed for an error message. */
    public String evidence() {
        return "exit " + exitCode + ", stdout: " + tail(stdout) + ", stderr: " + tail(stderr);
    }

    private static String tail(String s) {
        String t = s.strip();
        return t.isEmpty() ? "(empty)" : t.length() > 600 ? "..." + t.substring(t.length() - 600) : t;
    }
}
