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
 * {@code vmcluster console [CLUSTER] NODE}: a node's serial console (ttyS0: the kernel's messages,
 * the boot's and the runtime's {@code vmc:} lines, {@code VMC-READY}) live on this terminal, from
 * its last lines on, following restarts (QEMU appends every boot to the same file). Output only:
 * the guest reads nothing on ttyS0 (its shell is {@code vmcluster shell}; the hvc0 console is
 * vmcluster's command channel). Ctrl-C leaves; the node is not touched.
 */
@CommandLine.Command(
        name = "console",
        mixinStandardHelpOptions = true,
        description = "Shows a node's serial console (ttyS0) live, from its last lines on; Ctrl-C leaves.")
public final class ConsoleCommand implements Callable<Integer> {
    @CommandLine.Mixin
    Verbosity.Mixin verbosity;

    @CommandLine.Parameters(paramLabel = "[CLUSTER] NODE", arity = "1..2", description = "Which node.")
    List<String> where;

    @CommandLine.Option(
            names = {"-n", "--lines"},
            defaultValue = "40",
            paramLabel = "N",
            description = "How many of its last lines to show first (default: ${DEFAULT-VALUE}).")
    int lines;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (lines < 0) throw new InvalidInputException("--lines must be 0 or more, not " + lines);
        LiveCluster c = LiveClusters.standard().resolve(where.size() == 2 ? where.get(0) : null);
        String node = where.get(where.size() - 1);
        JsonNode info = LiveClient.call(c, Control.request("console").put("node", node));
        if (!info.path("ok").asBoolean()) {
            spec.commandLine().getErr().println(info.path("error").asText());
            spec.commandLine().getErr().flush();
            return ExitCode.TEST_FAILED.code();
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("vmcluster: " + node + " of " + c.name() + ", serial console (ttyS0, output only; a shell is"
                + " vmcluster shell " + c.name() + " " + node + "); Ctrl-C leaves");
        err.flush();
        Process p = new ProcessBuilder(argv(info, lines)).inheritIO().start();
        return p.waitFor();
    }

    /** {@code tail -F}: follows the file by name, from its last {@code lines} lines on. */
    static List<String> argv(JsonNode info, int lines) {
        return List.of(
                "tail",
                "-n",
                Integer.toString(lines),
                "-F",
                info.path("serial_log").asText());
    }
}
