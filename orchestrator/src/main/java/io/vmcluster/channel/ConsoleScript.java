package io.vmcluster.channel;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * What the console types for one command: a single brace group that the root shell on hvc0
 * parses whole and runs itself, so that a command costs the guest as few processes as possible
 * (under TCG every fork+exec costs milliseconds; fork alone is nearly free). Same semantics as
 * {@link GuestScript} (the SSH and agent wrapper), different means:
 *
 * <ul>
 *   <li>the command text is typed as a single-quoted word when it is plain (printable ASCII,
 *       tabs, newlines, short lines): no decoding process; otherwise it comes as base64 lines,
 *       decoded by one {@code base64 -d} in a command substitution. Empty stdin is {@code
 *       /dev/null}; other stdin is decoded into a file as before;
 *   <li>{@code vmc_r "$c" <i >o 2>e &} — with the shell's job control on (an interactive shell
 *       on a tty), the background job is a <b>process group of its own</b> without {@code
 *       setsid}, and {@code vmc_r} runs the text in that forked subshell itself ({@code eval},
 *       after unsetting the wrapper's variables, its function and the positional parameters):
 *       no exec at all. What the command changes (cwd, variables, {@code exit}) stays in the
 *       subshell, as with {@code sh -c}. A shell without job control gets {@code setsid sh -c}
 *       (chosen at sync, {@link #SYNC_SETUP}; a shell that never saw a sync, as after a reboot,
 *       gets it from the command's first line, {@link #REQUIRE_SETUP});
 *   <li>no watchdog process: the host keeps the time and, when it passes, types Ctrl-C; the
 *       shell is the tty's foreground group (the command is in the background), its {@code INT}
 *       trap marks the timeout and kills the command's whole group with SIGKILL;
 *   <li>{@code wait} for that one process, so a background child holding stdout cannot hang the
 *       call; sizes from one {@code wc} only when there is output; each non-empty stream is one
 *       {@code base64} (chunked with {@code dd} above {@link GuestScript#CHUNK}), acknowledged by
 *       the host as before ({@link ConsoleFrameDecoder} reads the same frames);
 *   <li>the files are {@code /tmp/vmc-c-<token>.*}; they are removed in batches by a detached
 *       {@code rm} ({@link #cleanup}), not one {@code rm} per command.
 * </ul>
 *
 * A {@code true} thus costs the guest one fork and nothing else (a fork and an exec of {@code sh}
 * without job control).
 */
final class ConsoleScript {
    /** Longest line typed as plain text; the tty's canonical line limit is 4095 bytes. */
    static final int PLAIN_LINE = 1000;
    /** Longest command typed as plain text. */
    static final int PLAIN_TOTAL = 16 * 1024;

    private static final int B64_LINE = 76;

    /**
     * Typed once at every sync, before the probe: job control if the shell can have it, and the
     * fallback that gives the command a process group of its own where it cannot.
     */
    static final String SYNC_SETUP = "set -m 2>/dev/null; case $- in"
            + " *m*) vmc_r() { unset c f t i p rc n m a j; unset -f x; eval \"set --; $1\"; } ;;"
            + " *) vmc_r() { setsid sh -c \"$1\"; } ;; esac;";

    /** What a sync types before its probe: echo and prompts off, then {@link #SYNC_SETUP}. */
    static final String SHELL_SETUP = "stty -echo 2>/dev/null; PS1= PS2=; " + SYNC_SETUP;

    /**
     * The first line of every command: a sync's {@link #SHELL_SETUP} when this shell has not had
     * it.
     */
    static final String REQUIRE_SETUP = "command -v vmc_r >/dev/null || { " + SHELL_SETUP + " }\n";

    private ConsoleScript() {}

    /** The guest directory for the commands' files unless told otherwise. */
    static final String GUEST_DIR = "/tmp";

    /** The file prefix of one command's files in the guest directory {@code dir}. */
    static String prefix(String dir, String token) {
        return dir + "/vmc-c-" + token;
    }

    /** True when the text can be typed as a single-quoted word without the tty or shell changing it. */
    static boolean plain(String text) {
        if (text.length() > PLAIN_TOTAL) {
            return false;
        }
        int lineLength = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '\n') {
                lineLength = 0;
                continue;
            }
            if ((ch < 0x20 && ch != '\t') || ch > 0x7e || ++lineLength > PLAIN_LINE) {
                return false;
            }
        }
        return true;
    }

    /**
     * The typed text for one command.
     *
     * @param dir guest directory for the command's files (no quoting needed: a plain path)
     * @param token the command's token (file names, frames, heredoc marker)
     * @param command the user's sh text
     * @param stdin bytes for its stdin
     * @param cleanupTokens tokens of earlier commands whose files to remove now (may be empty)
     */
    static byte[] command(String dir, String token, String command, byte[] stdin, List<String> cleanupTokens) {
        String f = prefix(dir, token);
        String eof = "VMC_" + token;
        StringBuilder s = new StringBuilder(command.length() * 2 + stdin.length * 2 + 1024);
        // Ctrl-U first: discard any half line left in the tty's input by an earlier failure.
        s.append('\u0015').append("{ ");
        // A shell that never saw a sync (the guest rebooted, or its shell was restarted, between
        // two commands) lacks vmc_r: set it up as a sync would. A builtin test, no process.
        s.append(REQUIRE_SETUP);
        if (plain(command)) {
            s.append("c='").append(command.replace("'", "'\\''")).append("'\n");
        } else {
            // $(...) drops trailing newlines, which sh text does not miss.
            s.append("c=$(base64 -d <<'").append(eof).append("'\n");
            appendBase64Lines(s, command.getBytes(StandardCharsets.UTF_8));
            s.append(eof).append("\n)\n");
        }
        s.append("f=").append(f).append("; t=0; i=/dev/null\n");
        if (stdin.length > 0) {
            s.append("i=$f.i; base64 -d >$i <<'").append(eof).append("'\n");
            appendBase64Lines(s, stdin);
            s.append(eof).append('\n');
        }
        s.append("vmc_r \"$c\" <$i >$f.o 2>$f.e &\n");
        s.append("p=$!\n");
        s.append("trap 't=1; kill -KILL -$p 2>/dev/null' INT\n");
        s.append("wait $p; rc=$?\n");
        // Interrupted by the trap: the group got SIGKILL; reap it for its status.
        s.append("[ $t = 1 ] && { wait $p; rc=$?; }\n");
        // Too late to kill now; a stray Ctrl-C must not cut the reply short.
        s.append("trap '' INT\n");
        // Forget the finished job, so the shell does not announce it.
        s.append("jobs >/dev/null\n");
        s.append("n=0; m=0\n");
        s.append("if [ -s $f.o ] || [ -s $f.e ]; then set -- $(wc -c $f.o $f.e); n=$1; m=$3; fi\n");
        // Chunks of CHUNK bytes, each acknowledged by the host with a line on the tty ("k": next,
        // "r": send again): QEMU's virtconsole drops output the host socket cannot take at once.
        s.append("x() { j=0; while [ $((j * ").append(GuestScript.CHUNK).append(")) -lt $3 ]; do ");
        s.append("printf 'VMC-CHUNK %s %s %s\\n' ").append(token).append(" $2 $j; ");
        s.append("if [ $3 -le ").append(GuestScript.CHUNK).append(" ]; then base64 <$1; ");
        s.append("else dd if=$1 bs=").append(GuestScript.CHUNK).append(" skip=$j count=1 2>/dev/null | base64; fi; ");
        s.append("printf 'VMC-CHUNK-END %s\\n' ").append(token).append("; ");
        s.append("read -r a || a=k; [ \"$a\" = r ] || j=$((j + 1)); done; }\n");
        s.append("printf '\\nVMC-BEGIN %s %s %s %s %s\\n' ").append(token).append(" $rc $t $n $m\n");
        s.append("[ $n = 0 ] || x $f.o o $n\n");
        s.append("[ $m = 0 ] || x $f.e e $m\n");
        s.append("printf 'VMC-END %s\\n' ").append(token).append('\n');
        if (!cleanupTokens.isEmpty()) {
            // Detached from the shell's job table (a subshell's child): no job notices.
            s.append("(rm -f");
            for (String old : cleanupTokens) {
                s.append(' ').append(prefix(dir, old)).append(".*");
            }
            s.append(" </dev/null >/dev/null 2>&1 &)\n");
        }
        s.append("trap - INT\n");
        s.append("}\n");
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void appendBase64Lines(StringBuilder s, byte[] data) {
        String b64 = Base64.getEncoder().encodeToString(data);
        for (int i = 0; i < b64.length(); i += B64_LINE) {
            s.append(b64, i, Math.min(b64.length(), i + B64_LINE)).append('\n');
        }
    }
}
