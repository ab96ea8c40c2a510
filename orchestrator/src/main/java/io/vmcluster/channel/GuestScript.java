package io.vmcluster.channel;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The small sh program the SSH and agent channels run in the guest around a user command (the
 * console types {@link ConsoleScript}, which gives the same semantics with fewer processes):
 *
 * <ul>
 *   <li>the command runs in a session (and process group) of its own ({@code setsid}), stdin
 *       from a file, stdout and stderr into two files;
 *   <li>the wrapper waits for that one process, not for end-of-file on a pipe, so a background
 *       child that keeps stdout open cannot hang the call;
 *   <li>a watchdog in another session kills the command's whole process group with SIGKILL when
 *       the timeout passes and leaves a mark, so the host learns it was a timeout;
 *   <li>then the result is emitted raw on stdout/stderr with a status trailer ({@link
 *       StatusTrailer}) on stdout.
 * </ul>
 *
 * <p>Needs only busybox: sh, setsid, sleep, kill, cat, base64, wc, mkdir, rm, and a writable
 * {@code /tmp}.
 */
final class GuestScript {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Raw bytes per console output chunk (a multiple of 3: no base64 padding inside a stream); see {@link ConsoleScript}. */
    static final int CHUNK = 48 * 1024;

    private GuestScript() {}

    /** A fresh random token: 16 hex digits, unguessable by the command's own output. */
    static String newToken() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The guest directory that holds one command's files. */
    static String dir(String token) {
        return "/tmp/vmc-" + token;
    }

    /** Whole seconds for the guest-side watchdog: at least 1, rounded up. */
    static long watchdogSeconds(Duration timeout) {
        long ms = timeout.toMillis();
        return Math.max(1, (ms + 999) / 1000);
    }

    /**
     * The wrapper program.
     *
     * @param token the command's token (names the directory, the frame and the heredoc marker)
     * @param command the user's sh text
     * @param timeout scaled timeout for the watchdog
     */
    static String wrapper(String token, String command, Duration timeout) {
        String d = dir(token);
        String cmdMarker = "VMC_CMD_" + token;
        if (command.lines().anyMatch(cmdMarker::equals)) {
            throw new IllegalArgumentException("command contains the heredoc marker " + cmdMarker);
        }
        StringBuilder s = new StringBuilder(command.length() + 1024);
        s.append("d=").append(d).append('\n');
        s.append("mkdir -p \"$d\"\n");
        s.append("cat >\"$d/i\"\n");
        s.append("cat >\"$d/c\" <<'").append(cmdMarker).append("'\n");
        s.append(command);
        if (!command.endsWith("\n")) {
            s.append('\n');
        }
        s.append(cmdMarker).append('\n');
        s.append("setsid sh \"$d/c\" <\"$d/i\" >\"$d/o\" 2>\"$d/e\" &\n");
        s.append("p=$!\n");
        s.append("setsid sh -c 'sleep \"$1\"; : >\"$3\"; kill -KILL -\"$2\" \"$2\"' vmc-watchdog ")
                .append(watchdogSeconds(timeout))
                .append(" \"$p\" \"$d/t\" </dev/null >/dev/null 2>&1 &\n");
        s.append("w=$!\n");
        s.append("wait \"$p\" 2>/dev/null\n");
        s.append("rc=$?\n");
        s.append("kill -KILL -\"$w\" \"$w\" 2>/dev/null\n");
        s.append("t=0\n");
        s.append("[ -e \"$d/t\" ] && t=1\n");
        s.append("cat \"$d/o\"\n");
        s.append("cat \"$d/e\" >&2\n");
        s.append("printf 'VMC-STATUS ").append(token).append(" %s %s\\n' \"$rc\" \"$t\"\n");
        s.append("rm -rf \"$d\"\n");
        s.append("exit 0\n");
        return s.toString();
    }
}
