package io.vmcluster.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.live.Control;
import io.vmcluster.live.LiveCluster;
import io.vmcluster.live.LiveClusters;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * {@code vmcluster exec [CLUSTER] NODE -- CMD...}: runs CMD with {@code /bin/sh -c} on a node of a
 * live cluster; its stdout and stderr are written as they came and its exit code is this
 * command's (as with ssh, the words of CMD are joined by spaces). vmcluster's own refusals are
 * exit 2 (no such cluster or node) or 4, with a message.
 */
@CommandLine.Command(
        name = "exec",
        mixinStandardHelpOptions = true,
        description = "Runs a command on a node of a cluster that is up; exits with the command's exit code.")
public final class ExecCommand implements Callable<Integer> {
    @CommandLine.Mixin
    Verbosity.Mixin verbosity;

    @CommandLine.Option(
            names = "--timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            defaultValue = "5m",
            description = "Kill the command after this long (default: ${DEFAULT-VALUE}, scaled by"
                    + " VMC_TIMING_MULTIPLIER).")
    Duration timeout;

    @CommandLine.Parameters(paramLabel = "[CLUSTER] NODE -- CMD", arity = "1..*", description = "Where and what.")
    List<String> words;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The standard output and error the command's bytes go to. */
    PrintStream stdout = System.out;

    PrintStream stderr = System.err;

    @Override
    public Integer call() {
        int cmdWords = commandWords(spec.commandLine().getParseResult().originalArgs());
        if (cmdWords < 0) {
            throw new InvalidInputException("put -- before the command: vmcluster exec [CLUSTER] NODE -- CMD");
        }
        List<String> where = words.subList(0, words.size() - cmdWords);
        List<String> cmd = words.subList(words.size() - cmdWords, words.size());
        if (cmd.isEmpty()) {
            throw new InvalidInputException("no command after --: vmcluster exec [CLUSTER] NODE -- CMD");
        }
        if (where.isEmpty() || where.size() > 2) {
            throw new InvalidInputException("before -- give NODE or CLUSTER NODE, found "
                    + (where.isEmpty() ? "nothing" : String.join(" ", where)));
        }
        LiveCluster c = LiveClusters.standard().resolve(where.size() == 2 ? where.get(0) : null);
        String node = where.get(where.size() - 1);
        JsonNode reply = LiveClient.call(
                c,
                Control.request("exec")
                        .put("node", node)
                        .put("command", String.join(" ", cmd))
                        .put("timeout_ms", timeout.toMillis()));
        if (!reply.path("ok").asBoolean()) {
            spec.commandLine().getErr().println(reply.path("error").asText());
            spec.commandLine().getErr().flush();
            return ExitCode.TEST_FAILED.code();
        }
        byte[] o = Base64.getDecoder().decode(reply.path("stdout").asText());
        byte[] e = Base64.getDecoder().decode(reply.path("stderr").asText());
        stdout.write(o, 0, o.length);
        stdout.flush();
        stderr.write(e, 0, e.length);
        stderr.flush();
        return reply.path("exit").asInt();
    }

    /** How many arguments follow the first {@code --} after {@code exec}; -1 without one. */
    static int commandWords(List<String> originalArgs) {
        int exec = originalArgs.indexOf("exec");
        for (int i = Math.max(0, exec); i < originalArgs.size(); i++) {
            if (originalArgs.get(i).equals("--")) return originalArgs.size() - i - 1;
        }
        return -1;
    }
}
