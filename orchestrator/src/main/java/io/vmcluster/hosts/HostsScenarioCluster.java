package io.vmcluster.hosts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmcluster.command.CommandResult;
import io.vmcluster.events.EventSink;
import io.vmcluster.fault.FaultSpec;
import io.vmcluster.fault.KillCommand;
import io.vmcluster.fault.Link;
import io.vmcluster.fault.Partition;
import io.vmcluster.scenario.ClusterSource;
import io.vmcluster.scenario.Scenario;
import io.vmcluster.scenario.ScenarioException;
import io.vmcluster.scenario.run.ClusterApi;
import io.vmcluster.scenario.run.ClusterLauncher;
import io.vmcluster.scenario.run.RunOptions;
import io.vmcluster.scenario.step.BackupStep;
import io.vmcluster.scenario.step.CopyStep;
import io.vmcluster.scenario.step.FaultStep;
import io.vmcluster.scenario.step.LifecycleStep;
import io.vmcluster.scenario.step.NemesisStep;
import io.vmcluster.scenario.step.ParallelStep;
import io.vmcluster.scenario.step.RepeatStep;
import io.vmcluster.scenario.step.SnapshotStep;
import io.vmcluster.scenario.step.Step;
import io.vmcluster.scenario.step.UpgradeStep;
import io.vmcluster.scenario.step.WanStep;
import io.vmcluster.scenario.step.WorkloadEndStep;
import io.vmcluster.scenario.step.WorkloadStep;
import io.vmcluster.time.Deadline;
import io.vmcluster.time.Timing;
import io.vmcluster.yaml.Location;
import io.vmcluster.yaml.Problem;
import io.vmcluster.yaml.YamlNode;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scenario runner's {@link ClusterApi} over a cluster spread over hosts ({@link HostsCluster};
 * docs/scale-out.md): what {@code vmcluster run} uses when the scenario's cluster names {@code
 * hosts:}. Commands, waits, the service map, killed processes and every lifecycle action go to the
 * agent of the node's host; partitions (groups, shapes, isolate) are the union of every cut in
 * effect, put at the bridges of every host, and {@code heal} clears them. A {@code snapshot} with
 * {@code cache: true} is skipped (the run goes on cold). What cannot run across hosts yet is
 * refused before anything boots, naming each step ({@link #unsupported}).
 */
public final class HostsScenarioCluster implements ClusterApi {
    private static final Logger LOG = LoggerFactory.getLogger(HostsScenarioCluster.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LATER = "is not supported on a cluster over several hosts yet (docs/scale-out.md)";

    private final HostsCluster cluster;
    private final Timing timing;
    private final String cachedSnapshot;
    private final Set<Link> cuts = new TreeSet<>();

    private HostsScenarioCluster(HostsCluster cluster, Timing timing, String cachedSnapshot) {
        this.cluster = cluster;
        this.timing = timing;
        this.cachedSnapshot = cachedSnapshot;
    }

    /**
     * Boots a scenario's cluster over its hosts, logging in with {@code login} and copying {@code
     * agentJar} (the CLI jar) to each; every host's results come back to the run directory's
     * {@code <host>/} on close.
     */
    public static ClusterLauncher launcher(Supplier<HostLogin> login, Supplier<Path> agentJar) {
        return (Scenario scenario, RunOptions options, EventSink events, Duration bootTimeout) -> {
            List<Problem> refused = unsupported(scenario, options);
            if (!refused.isEmpty()) {
                throw new ScenarioException(refused);
            }
            ClusterSource c = scenario.cluster();
            String source = c.file() != null
                    ? c.file().getFileName().toString()
                    : scenario.file().getFileName().toString();
            HostsCluster hosts = HostsCluster.start(
                    c.spec(),
                    json(c.definition()),
                    source,
                    c.params(),
                    login.get(),
                    new HostsCluster.Options(agentJar.get(), options.accel(), options.timing(), options.runDir()));
            return new HostsScenarioCluster(
                    hosts,
                    options.timing(),
                    scenario.cachedSnapshot().map(s -> s.name().value()).orElse(null));
        };
    }

    /** The jar this code runs from: what {@code vmcluster run} copies to every host as its agent. */
    public static Path runningJar() {
        try {
            Path p = Path.of(HostsCluster.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) {
                return p;
            }
            throw new HostException("a cluster over hosts needs the CLI jar to copy to every host, and this process"
                    + " runs from " + p + ", not a jar: run it with scripts/vmcluster or java -jar vmcluster.jar");
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            throw new HostException("cannot tell which jar this process runs from: " + e);
        }
    }

    /**
     * What of {@code scenario} cannot run over hosts yet, each where it is written (empty: all of it
     * can). Thrown as a {@link ScenarioException} (exit 2) before anything boots.
     */
    public static List<Problem> unsupported(Scenario scenario, RunOptions options) {
        String hosts = " " + LATER + "; this cluster runs on hosts "
                + String.join(
                        ", ",
                        scenario.cluster().spec().placement().hosts().stream()
                                .map(h -> h.name())
                                .toList());
        List<Problem> out = new ArrayList<>();
        if (!scenario.cluster().spec().wan().regions().isEmpty()) {
            out.add(new Problem(Location.of(scenario.file()), "the cluster's regions and wan:" + hosts));
        }
        if (options.capturePackets()) {
            out.add(new Problem(Location.option("--capture"), "packet capture" + hosts));
        }
        scenario.tests().forEach(t -> unsupported(t.steps(), hosts, out));
        return out;
    }

    private static void unsupported(List<Step> steps, String hosts, List<Problem> out) {
        for (Step s : steps) {
            if (s instanceof RepeatStep r) {
                unsupported(r.steps(), hosts, out);
            } else if (s instanceof ParallelStep p) {
                p.branches().forEach(b -> unsupported(b, hosts, out));
            } else if ((s instanceof SnapshotStep snap && !(snap.kind() == SnapshotStep.Kind.SNAPSHOT && snap.cache()))
                    || s instanceof BackupStep
                    || s instanceof CopyStep
                    || s instanceof WorkloadStep
                    || s instanceof WorkloadEndStep
                    || s instanceof NemesisStep
                    || s instanceof WanStep
                    || s instanceof UpgradeStep
                    || (s instanceof FaultStep f && !partitions(f.fault()))) {
                out.add(new Problem(s.location(), s.title() + hosts));
            }
        }
    }

    private static boolean partitions(FaultSpec<?> f) {
        return f instanceof FaultSpec.PartitionGroups<?>
                || f instanceof FaultSpec.ShapedPartition<?>
                || f instanceof FaultSpec.Isolate<?>;
    }

    /** The definition tree as JSON text (YAML reads it back as the same tree; kinds kept). */
    static String json(YamlNode n) {
        StringBuilder b = new StringBuilder();
        json(n, b);
        return b.toString();
    }

    private static void json(YamlNode n, StringBuilder b) {
        try {
            if (n instanceof YamlNode.Mapping m) {
                b.append('{');
                for (int i = 0; i < m.list().size(); i++) {
                    if (i > 0) b.append(", ");
                    b.append(JSON.writeValueAsString(m.list().get(i).key())).append(": ");
                    json(m.list().get(i).value(), b);
                }
                b.append('}');
            } else if (n instanceof YamlNode.Sequence s) {
                b.append('[');
                for (int i = 0; i < s.values().size(); i++) {
                    if (i > 0) b.append(", ");
                    json(s.values().get(i), b);
                }
                b.append(']');
            } else if (n instanceof YamlNode.Scalar s) {
                b.append(
                        switch (s.kind()) {
                            case STRING -> JSON.writeValueAsString(s.value());
                            case NULL -> "null";
                            case INT, FLOAT, BOOL -> s.value();
                        });
            } else {
                throw new IllegalArgumentException("cannot send " + n.describe() + " to the hosts");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The coordinator's view of the cluster, for callers that need more than the seam. */
    public HostsCluster hosts() {
        return cluster;
    }

    @Override
    public List<String> nodes() {
        return cluster.spec().nodeNames();
    }

    @Override
    public CommandResult exec(String node, String command, Duration timeout) {
        return cluster.exec(node, command, timing.nominal(timeout));
    }

    @Override
    public void waitForService(String node, String service, Duration timeout) {
        cluster.waitForService(node, service, timing.nominal(timeout));
    }

    @Override
    public void waitForPort(String node, int port, Duration timeout) {
        cluster.waitForPort(node, port, timing.nominal(timeout));
    }

    @Override
    public void controlService(String node, String service, ServiceAction action, Duration timeout) {
        // one bound for both commands of a restart: the start gets what the stop left
        Deadline d = Deadline.after(timeout);
        if (action != ServiceAction.START) {
            cluster.stopService(node, service, timing.nominal(d.remaining()));
        }
        if (action != ServiceAction.STOP) {
            cluster.startService(node, service, timing.nominal(d.remaining()));
        }
    }

    /** SIGKILLs every process called {@code process} in the guest, as the one-host fault does. */
    @Override
    public void killProcess(String node, String process, Duration timeout) {
        CommandResult r = exec(node, KillCommand.of(process), timeout);
        if (!r.succeeded()) {
            throw new IllegalStateException("could not kill " + process + " on " + node + " (" + r.evidence() + ")");
        }
    }

    @Override
    public void lifecycle(String node, LifecycleStep.Action action, Duration timeout) {
        switch (action) {
            case CRASH -> cluster.crash(node);
            case START -> cluster.start(node);
            case RESTART -> cluster.restart(node);
            case PAUSE -> cluster.pause(node);
            case RESUME -> cluster.resume(node);
            case RESET -> cluster.reset(node);
            case SHUTDOWN -> cluster.shutdown(node);
        }
    }

    /**
     * Adds the partition's cuts to those in effect and puts the union at every host's bridges
     * (partitions, shapes and isolate only: the rest is refused before the boot).
     */
    @Override
    public synchronized void applyFault(FaultSpec<List<String>> fault, Duration timeout) {
        List<Partition> made = new ArrayList<>();
        if (fault instanceof FaultSpec.PartitionGroups<List<String>> p) {
            made.add(Partition.ofGroups(p.groups()));
        } else if (fault instanceof FaultSpec.ShapedPartition<List<String>> s) {
            made.add(s.shape().apply(nodes(), s.seed()));
        } else if (fault instanceof FaultSpec.Isolate<List<String>> i) {
            for (String n : i.nodes()) {
                made.add(Partition.ofGroups(List.of(
                        List.of(n), nodes().stream().filter(o -> !o.equals(n)).toList())));
            }
        } else {
            throw new UnsupportedOperationException("the fault '" + fault + "' " + LATER);
        }
        Set<Link> next = new TreeSet<>(cuts);
        for (Partition p : made) {
            if (p.keepArp()) {
                throw new UnsupportedOperationException("a one-way cut ('" + fault + "') " + LATER);
            }
            next.addAll(p.cuts());
        }
        put(next);
    }

    @Override
    public synchronized void healAll() {
        put(new TreeSet<>());
    }

    private void put(Set<Link> next) {
        cluster.cut(new CrossHostPartition(
                next.stream().map(l -> List.of(l.from(), l.to())).toList()));
        cuts.clear();
        cuts.addAll(next);
    }

    /** Only the cached snapshot is accepted (and skipped: no warm start across hosts); the rest is refused at boot. */
    @Override
    public void snapshot(io.vmcluster.cluster.SnapshotName name) {
        if (!name.value().equals(cachedSnapshot)) {
            throw new UnsupportedOperationException("snapshot '" + name.value() + "' " + LATER);
        }
        LOG.info(
                "snapshot '{}' (cache: true) is not taken: a cluster over several hosts has no snapshots"
                        + " yet, so every run of it boots cold",
                name.value());
    }

    @Override
    public void close() {
        cluster.close();
    }
}
