package io.vmcluster.qemu;

import io.vmcluster.time.Durations;
import java.time.Duration;

/**
 * How a QEMU process ended, with its own last words.
 *
 * @param code the exit status (128+N when killed by signal N: 134 is an abort, 137 SIGKILL)
 * @param after how long after its start it exited
 * @param stderrTail the last lines QEMU wrote to stderr
 * @param serialTail the last lines of the guest's serial log (ttyS0)
 */
public record QemuExit(int code, Duration after, String stderrTail, String serialTail) {
    /** {@code "QEMU exited with status 134 (SIGABRT) 0.7 s after its start"}. */
    public String describe() {
        return "QEMU exited with status " + code + signal() + " " + Durations.format(after) + " after its start";
    }

    /** QEMU's own words: the last stderr line that says something, or empty. */
    public String lastWords() {
        String[] lines = stderrTail.strip().split("\\R");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isBlank()) {
                return lines[i].strip();
            }
        }
        return "";
    }

    private String signal() {
        return switch (code) {
            case 134 -> " (SIGABRT)";
            case 137 -> " (SIGKILL)";
            case 139 -> " (SIGSEGV)";
            case 143 -> " (SIGTERM)";
            default -> "";
        };
    }
}
