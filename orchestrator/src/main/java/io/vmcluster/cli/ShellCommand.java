package io.vmcluster.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.live.Control;
import io.vmcluster.live.LiveCluster;
import io.vmcluster.live.LiveClusters;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * {@code vmcluster shell [CLUSTER] NODE}: a login shell on a node of a live cluster, on this
 * terminal: OpenSSH's client ({@code ssh -tt}) started inside the cluster's network namespace
 * with the run's key, so the guest gets a real pseudo-terminal (line editing, job control, Ctrl-C
 * reaches the guest's foreground program) and {@code ~.} on a new line (or {@code exit}) leaves;
 * the guest runs {@link #LOGIN}.
 * Exits with ssh's status.
 */
@CommandLine.Command(
        name = "shell",
        mixinStandardHelpOptions = true,
        description = "Opens a shell on a node of a cluster that is up (a real terminal over SSH; ~. or exit leaves).")
public final class ShellCommand implements Callable<Integer> {
    @CommandLine.Mixin
    Verbosity.Mixin verbosity;

    @CommandLine.Parameters(paramLabel = "[CLUSTER] NODE", arity = "1..2", description = "Which node.")
    List<String> where;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LiveCluster c = LiveClusters.standard().resolve(where.size() == 2 ? where.get(0) : null);
        String node = where.get(where.size() - 1);
        JsonNode info = LiveClient.call(c, Control.request("shell").put("node", node));
        if (!info.path("ok").asBoolean()) {
            spec.commandLine().getErr().println(info.path("error").asText());
            spec.commandLine().getErr().flush();
            return ExitCode.TEST_FAILED.code();
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("vmcluster: " + node + " of " + c.name() + " (ssh "
                + info.path("user").asText() + "@"
                + info.path("address").asText() + " in "
                + info.path("namespace").asText()
                + "); leave with exit, or ~. on a new line");
        err.flush();
        Process p = new ProcessBuilder(argv(info)).inheritIO().start();
        return p.waitFor();
    }

    static List<String> argv(JsonNode info) {
        return List.of(
                "nsenter",
                "--net=/run/netns/" + info.path("namespace").asText(),
                "--",
                "ssh",
                "-tt",
                "-i",
                info.path("key").asText(),
                "-p",
                info.path("port").asText(),
                "-o",
                "StrictHostKeyChecking=no",
                "-o",
                "UserKnownHostsFile=/dev/null",
                "-o",
                "LogLevel=ERROR",
                "-o",
                "IdentitiesOnly=yes",
                "-o",
                "ConnectTimeout=15",
                info.path("user").asText() + "@" + info.path("address").asText(),
                LOGIN);
    }

    /**
     * What ssh runs on the guest: a login shell with line editing. Bash where the guest has it;
     * else busybox's ash (the runtime's userland: Debian's sh, dash, has no line editing), with an
     * alias to every real program an ash applet would shadow ({@code tc}, {@code ip}, {@code sh}:
     * this ash runs its own applets before searching PATH), so what a person types runs what a
     * scenario's command runs; else {@code sh -l}.
     */
    static final String LOGIN = """
            if command -v bash >/dev/null 2>&1; then exec bash -l; fi
            bb=$(command -v busybox) && "$bb" ash -c : 2>/dev/null || exec sh -l
            f=/run/vmc-shell-aliases.$$
            for n in $("$bb" --list); do
              for d in /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin; do
                if [ -e "$d/$n" ] && ! [ "$d/$n" -ef "$bb" ]; then echo "alias $n=$d/$n"; break; fi
              done
            done >"$f" && echo "rm -f $f" >>"$f" && export ENV="$f"
            exec "$bb" ash -l
            """;
}
