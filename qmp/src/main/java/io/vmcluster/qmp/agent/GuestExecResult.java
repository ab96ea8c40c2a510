package io.vmcluster.qmp.agent;

import java.nio.charset.StandardCharsets;

/**
 * A finished {@code guest-exec}: what {@code guest-exec-status} reported once {@code exited} was true.
 *
 * @param pid the guest process id
 * @param exitCode the exit code, or -1 if the process was killed by a signal
 * @param signal the signal that killed it, or 0
 * @param stdout standard output (decoded from base64)
 * @param stderr standard error (decoded from base64)
 * @param truncated whether qemu-ga cut the captured output short
 */
public record GuestExecResult(long pid, int exitCode, int signal, byte[] stdout, byte[] stderr, boolean truncated) {
    /** Standard output as UTF-8 text. */
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** Standard error as UTF-8 text. */
    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    /** Whether the process exited with code 0. */
    public boolean succeeded() {
        return exitCode == 0 && signal == 0;
    }

    @Override
    public String toString() {
        return "GuestExecResult[pid=" + pid + ", exitCode=" + exitCode + ", signal=" + signal + ", stdout="
                + stdoutText() + ", stderr=" + stderrText() + (truncated ? ", truncated" : "") + "]";
    }
}
