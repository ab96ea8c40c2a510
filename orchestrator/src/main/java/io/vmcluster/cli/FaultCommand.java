package io.vmcluster.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmcluster.live.Control;
import io.vmcluster.live.LiveCluster;
import io.vmcluster.live.LiveClusters;
import io.vmcluster.scenario.parse.CommandLineStep;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * {@code vmcluster fault [CLUSTER] VERB ARGS...}: any fault, heal, lifecycle or service verb of
 * the scenario language on a live cluster, written as in a scenario with options as KEY=VALUE
 * ({@code impair node1 delay=100ms to=node2}); read by the scenario's own step parser in the
 * supervisor (exit 2 with its message), run as a test runs the step (exit 1 when it fails).
 */
@CommandLine.Command(
        name = "fault",
        mixinStandardHelpOptions = true,
        description = "Applies a fault or lifecycle verb of the scenario language to a cluster that is up:"
                + " isolate node1 | partition [[node1],[node2,node3]] | impair node1 delay=100ms | crash node2 |"
                + " restart node2 | pause all | resume all | stop_service jobq on=node3 | heal | ...")
public final class FaultCommand implements Callable<Integer> {
    @CommandLine.Mixin
    Verbosity.Mixin verbosity;

    @CommandLine.Parameters(
            paramLabel = "[CLUSTER] VERB ARGS",
            arity = "1..*",
            description = "The verb and its arguments.")
    List<String> words;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        boolean named = !CommandLineStep.FAULT_VERBS.contains(words.get(0))
                && words.size() > 1
                && LiveClusters.standard().find(words.get(0)).isPresent();
        LiveCluster c = LiveClusters.standard().resolve(named ? words.get(0) : null);
        ObjectNode req = Control.request("fault");
        var arr = req.putArray("words");
        (named ? words.subList(1, words.size()) : words).forEach(arr::add);
        JsonNode reply = LiveClient.call(c, req);
        PrintWriter out = spec.commandLine().getOut();
        if (!reply.path("ok").asBoolean()) {
            spec.commandLine().getErr().println(reply.path("error").asText());
            spec.commandLine().getErr().flush();
            return ExitCode.TEST_FAILED.code();
        }
        out.println(c.name() + ": " + reply.path("done").asText());
        out.flush();
        return 0;
    }
}
