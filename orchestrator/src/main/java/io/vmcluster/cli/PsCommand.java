package io.vmcluster.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.live.Control;
import io.vmcluster.live.LiveCluster;
import io.vmcluster.live.LiveClusters;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/** {@code vmcluster ps}: the clusters that are up, with their nodes' states, age and results. */
@CommandLine.Command(
        name = "ps",
        mixinStandardHelpOptions = true,
        description = "Lists the clusters that are up (vmcluster up, run --keep-failed): name, nodes, state, age,"
                + " results directory.")
public final class PsCommand implements Callable<Integer> {
    @CommandLine.Mixin
    Verbosity.Mixin verbosity;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        // a cluster whose supervisor died: its VMs died with it; remove what is left, as a run's start would
        io.vmcluster.reaper.Reaper.standard(io.vmcluster.time.Timing.standard()).reclaimDeadRuns();
        List<LiveCluster> all = LiveClusters.standard().list();
        if (all.isEmpty()) {
            out.println("no cluster is up (vmcluster up CLUSTER.yaml starts one)");
            out.flush();
            return 0;
        }
        List<String[]> rows = new ArrayList<>();
        List<String> screens = new ArrayList<>();
        rows.add(new String[] {"NAME", "NODES", "STATE", "AGE", "RESULTS"});
        for (LiveCluster c : all) {
            String nodes = String.join(" ", c.nodes());
            String state = c.state();
            try {
                JsonNode s = Control.call(c.socketPath(), Control.request("status"));
                state = s.path("state").asText(state);
                List<String> parts = new ArrayList<>();
                s.path("nodes")
                        .fields()
                        .forEachRemaining(e -> parts.add(e.getKey()
                                + (e.getValue().asText().equals("READY")
                                        ? ""
                                        : "(" + e.getValue().asText().toLowerCase() + ")")));
                if (!parts.isEmpty()) nodes = String.join(" ", parts);
                s.path("displays")
                        .fields()
                        .forEachRemaining(e -> screens.add(c.name() + " " + e.getKey() + " screen: VNC on "
                                + e.getValue().asText()));
            } catch (java.io.IOException e) {
                state = "not answering (" + e.getMessage() + ")";
            }
            rows.add(new String[] {
                c.name(), nodes, state, age(Duration.ofMillis(System.currentTimeMillis() - c.started())), c.results()
            });
        }
        int[] w = new int[5];
        for (String[] r : rows) for (int i = 0; i < 5; i++) w[i] = Math.max(w[i], r[i].length());
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                b.append(i < 4 ? String.format("%-" + (w[i] + 2) + "s", r[i]) : r[i]);
            }
            out.println(b.toString().stripTrailing());
        }
        screens.forEach(out::println);
        out.flush();
        return 0;
    }

    static String age(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) return s + "s";
        if (s < 3600) return (s / 60) + "m" + String.format("%02d", s % 60) + "s";
        return (s / 3600) + "h" + String.format("%02d", (s % 3600) / 60) + "m";
    }
}
