package io.vmcluster.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process named so that pid reuse cannot fool us: its pid plus its start time (field 22 of
 * {@code /proc/PID/stat}, clock ticks since boot). A recorded identity is alive only if a
 * process with that pid exists <em>and</em> started at the same tick.
 */
public record ProcessIdentity(long pid, long startTime) {

    /** The identity of the process with this pid now, or empty if there is none. */
    public static Optional<ProcessIdentity> of(long pid) {
        return startTimeOf(pid).map(t -> new ProcessIdentity(pid, t));
    }

    /** This JVM. */
    public static ProcessIdentity current() {
        long pid = ProcessHandle.current().pid();
        return of(pid).orElseThrow(() -> new IllegalStateException("no /proc/" + pid + "/stat for this JVM"));
    }

    /** Whether this very process (same pid, same start time) still exists; a zombie counts as dead. */
    public boolean isAlive() {
        return startTimeOf(pid).filter(t -> t == startTime).isPresent() && !isZombie(pid);
    }

    /** Parses {@code "PID STARTTIME"}, the form {@link #toString()} writes. */
    public static ProcessIdentity parse(String text) {
        String[] parts = text.strip().split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("expected 'PID STARTTIME', got '" + text.strip() + "'");
        }
        try {
            return new ProcessIdentity(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected 'PID STARTTIME', got '" + text.strip() + "'", e);
        }
    }

    @Override
    public String toString() {
        return pid + " " + startTime;
    }

    private static Optional<String[]> statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) is in parentheses and may contain spaces: split after it
            int close = stat.lastIndexOf(')');
            if (close < 0) {
                return Optional.empty();
            }
            return Optional.of(stat.substring(close + 2).split(" "));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Long> startTimeOf(long pid) {
        // after the ')' the fields start at field 3 (state); starttime is field 22 -> index 19
        return statFields(pid).filter(f -> f.length > 19).map(f -> Long.parseLong(f[19]));
    }

    private static boolean isZombie(long pid) {
        return statFields(pid).map(f -> f[0].equals("Z") || f[0].equals("X")).orElse(true);
    }
}
