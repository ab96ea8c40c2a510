package io.vmcluster.hosts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmcluster.cluster.spec.ClusterSpec;
import io.vmcluster.cluster.spec.ClusterSpecLoader;
import io.vmcluster.cluster.spec.HostSpec;
import io.vmcluster.command.CommandResult;
import io.vmcluster.command.ShellQuote;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.resource.Closer;
import io.vmcluster.time.Timing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster spread over the hosts its file names (docs/scale-out.md, "One cluster over several
 * hosts"), driven from this machine, the coordinator: it logs in to every host over SSH, copies
 * the CLI jar there and starts it as that host's per-run agent ({@link Agent}), which runs the
 * host's share of the nodes with the one-host runtime and joins every LAN's bridge to the other
 * hosts' with VXLAN. Commands, crashes and partitions are requests to the agent of the host they
 * concern (a partition to every agent); QMP and the consoles stay on each host, behind its agent.
 * Closing it stops every share, copies each host's results here, and ends the SSH sessions;
 * should this JVM die instead, each agent sees its connection end and removes what it made.
 */
public final class HostsCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostsCluster.class);
    private static final Duration AGENT_START = Duration.ofSeconds(60);
    private static final Duration COPY = Duration.ofMinutes(2);
    private static final Duration CALL = Duration.ofMinutes(2);
    private static final Duration BOOT = Duration.ofMinutes(10);

    /**
     * How to run it.
     *
     * @param agentJar the CLI jar copied to every host ({@code orchestrator/target/vmcluster.jar})
     * @param accelerator what every host's nodes run under
     * @param timing scales every bound, here and on the hosts
     * @param resultsDir where each host's results are copied on close ({@code <host>/})
     */
    public record Options(Path agentJar, Accelerator accelerator, Timing timing, Path resultsDir) {
        public Options {
            Objects.requireNonNull(agentJar, "agentJar");
            Objects.requireNonNull(accelerator, "accelerator");
            Objects.requireNonNull(timing, "timing");
            Objects.requireNonNull(resultsDir, "resultsDir");
        }
    }

    private final ClusterSpec spec;
    private final Options options;
    private final String runId;
    private final Map<String, Remote> remotes;
    private volatile boolean closed;

    /** One host: its SSH session, its agent, its directory there, what the agent reported at boot. */
    private record Remote(HostSpec host, SshHost ssh, AgentClient agent, String dir, JsonNode boot) {}

    private HostsCluster(ClusterSpec spec, Options options, String runId, Map<String, Remote> remotes) {
        this.spec = spec;
        this.options = options;
        this.runId = runId;
        this.remotes = remotes;
    }

    /**
     * Reads {@code clusterFile}, starts an agent on every host it names, and boots every node.
     *
     * @throws io.vmcluster.cluster.spec.InvalidClusterSpecException the file is invalid (nothing started)
     * @throws HostException a host cannot be reached, lacks something, or a node did not boot
     *     there; everything started is stopped again
     */
    public static HostsCluster start(Path clusterFile, HostLogin login, Options options) {
        ClusterSpec spec = ClusterSpecLoader.load(clusterFile);
        if (!spec.placement().isDistributed()) {
            throw new IllegalArgumentException(clusterFile + " names no hosts: run it with Cluster.start");
        }
        String text;
        try {
            text = Files.readString(clusterFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return start(spec, text, clusterFile.getFileName().toString(), Map.of(), login, options);
    }

    /**
     * {@link #start(Path, HostLogin, Options)} for a definition already read here ({@code spec}),
     * e.g. a scenario's: every host is sent {@code text} (the definition in the cluster-file format,
     * as YAML or JSON) and {@code params}, every node's params unless its definition sets its own,
     * and reads the same cluster from them.
     *
     * @param source names the definition in messages (a file name)
     */
    public static HostsCluster start(
            ClusterSpec spec,
            String text,
            String source,
            Map<String, String> params,
            HostLogin login,
            Options options) {
        if (!spec.placement().isDistributed()) {
            throw new IllegalArgumentException(source + " names no hosts: run it with Cluster.start");
        }
        try {
            Files.createDirectories(options.resultsDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SecureRandom random = new SecureRandom();
        String runId = HexFormat.of().formatHex(random.generateSeed(4));
        int vniBase = 1 + random.nextInt(0xFF0000);
        Map<String, Remote> remotes = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
        HostsCluster cluster = new HostsCluster(spec, options, runId, remotes);
        try {
            // each as soon as it runs, so a failure elsewhere closes it too
            onEach(spec.placement().hosts(), h -> remotes.put(h.name(), startAgent(h, login, options, runId)));
            Map<String, JsonNode> booted = onEach(spec.placement().hosts(), h -> {
                ObjectNode boot = remotes.get(h.name()).agent().request("boot");
                boot.put("cluster", text);
                boot.put("source", source);
                boot.set("params", boot.objectNode());
                params.forEach(((ObjectNode) boot.get("params"))::put);
                boot.put("host", h.name());
                boot.put("vniBase", vniBase);
                boot.put("accelerator", options.accelerator().name().toLowerCase(java.util.Locale.ROOT));
                boot.put("timing", options.timing().multiplier());
                return call(
                        h, remotes.get(h.name()).agent(), boot, options.timing().scale(BOOT));
            });
            booted.forEach((h, reply) -> {
                Remote r = remotes.get(h);
                remotes.put(h, new Remote(r.host(), r.ssh(), r.agent(), r.dir(), reply));
                LOG.info(
                        "host {}: nodes {} up in namespace {}, tunnels {}",
                        h,
                        spec.placement().nodesOn(h, spec.nodeNames()),
                        reply.path("namespace").asText(),
                        reply.path("tunnels"));
            });
            return cluster;
        } catch (RuntimeException e) {
            Closer closer = new Closer();
            closer.run(cluster::close);
            if (closer.failure() != null) e.addSuppressed(closer.failure());
            throw e;
        }
    }

    private static Remote startAgent(HostSpec h, HostLogin login, Options options, String runId) {
        SshHost ssh = SshHost.connect(h, login, options.timing());
        try {
            String dir = "/tmp/vmc-agent-" + runId + "-" + h.name();
            SshHost.Result mk = ssh.run(List.of("mkdir", "-m", "700", dir), null, Duration.ofSeconds(30));
            if (mk.exit() != 0) {
                throw new HostException(
                        h, "cannot make " + dir + ": " + mk.stderr().strip(), null);
            }
            ssh.upload(options.agentJar(), dir + "/vmcluster.jar", COPY);
            Path hostResults = options.resultsDir().resolve(h.name());
            Files.createDirectories(hostResults);
            // the directory goes when the agent does, however it ends
            String script = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH;"
                    + " java -jar \"$1/vmcluster.jar\" agent --dir \"$1\"; s=$?; rm -rf \"$1\"; exit $s";
            AgentClient agent = ssh.startAgent(
                    ShellQuote.command("sh", "-c", script, "vmc-agent", dir), hostResults.resolve("agent.log"));
            try {
                agent.awaitReady(options.timing().scale(AGENT_START));
            } catch (AgentException e) {
                throw new HostException(
                        h,
                        "the agent did not start: " + e.getMessage() + " (it needs java 17 or later on the PATH there)",
                        e);
            }
            return new Remote(h, ssh, agent, dir, null);
        } catch (IOException e) {
            ssh.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            ssh.close();
            throw e;
        }
    }

    /** A request to {@code h}'s agent; its failures as the exceptions a run maps to exit codes. */
    private static JsonNode call(HostSpec h, AgentClient agent, ObjectNode request, Duration timeout) {
        try {
            return agent.call(request, timeout);
        } catch (AgentException e) {
            if (e.kind().equals("failed") && !request.path("op").asText().equals("boot")) {
                throw e;
            }
            throw new HostException(h, e.getMessage(), e);
        }
    }

    private static <T> Map<String, T> onEach(List<HostSpec> hosts, Function<HostSpec, T> action) {
        Map<String, CompletableFuture<T>> futures = new LinkedHashMap<>();
        for (HostSpec h : hosts) {
            futures.put(h.name(), CompletableFuture.supplyAsync(() -> action.apply(h)));
        }
        Map<String, T> results = new LinkedHashMap<>();
        Closer failures = new Closer();
        futures.forEach((name, f) -> {
            try {
                results.put(name, f.join());
            } catch (CompletionException e) {
                failures.add(e.getCause());
            }
        });
        failures.throwIfFailed();
        return results;
    }

    public ClusterSpec spec() {
        return spec;
    }

    /** This run's id (in every host's agent directory, {@code /tmp/vmc-agent-<id>-<host>}). */
    public String runId() {
        return runId;
    }

    /** The name of the host that runs {@code node}. */
    public String hostOf(String node) {
        spec.node(node);
        return spec.placement().hostOf(node).orElseThrow().name();
    }

    /** The network namespace of this run on {@code host}, as its agent named it. */
    public String namespaceOn(String host) {
        return remote(host).boot().path("namespace").asText();
    }

    /** Runs a shell command on {@code node}'s console and returns what it did, whatever the exit code. */
    public CommandResult exec(String node, String command, Duration timeout) {
        ObjectNode r = agentOf(node).request("exec");
        r.put("node", node);
        r.put("command", command);
        r.put("timeoutMs", timeout.toMillis());
        JsonNode reply = callOn(hostOf(node), r, options.timing().scale(timeout).plus(CALL));
        return new CommandResult(
                node,
                command,
                reply.path("exit").asInt(),
                Base64.getDecoder().decode(reply.path("stdout").asText()),
                Base64.getDecoder().decode(reply.path("stderr").asText()),
                Duration.ofMillis(reply.path("ms").asLong()));
    }

    /** {@link #exec} that insists on exit code 0. */
    public CommandResult succeed(String node, String command, Duration timeout) {
        return exec(node, command, timeout).orThrow();
    }

    /** Kills {@code node}'s QEMU on its host, as the crash fault does on one host. */
    public void crash(String node) {
        nodeRequest("crash", node);
    }

    /** Boots {@code node} again on its host and waits until it is ready. */
    public void start(String node) {
        nodeRequest("start", node);
    }

    /** Restarts {@code node} on its host (its disks kept) and waits until it is ready. */
    public void restart(String node) {
        nodeRequest("restart", node);
    }

    /** Pauses {@code node}'s vCPUs on its host (QMP stop). */
    public void pause(String node) {
        nodeRequest("pause", node);
    }

    /** Resumes a paused {@code node}. */
    public void resume(String node) {
        nodeRequest("resume", node);
    }

    /** Resets {@code node} on its host (a hard reset, as the reset button) and waits until it is ready. */
    public void reset(String node) {
        nodeRequest("reset", node);
    }

    /** Shuts {@code node} down gracefully on its host. */
    public void shutdown(String node) {
        nodeRequest("shutdown", node);
    }

    /** Waits, on {@code node}'s host, until the image's service {@code service} runs there. */
    public void waitForService(String node, String service, Duration timeout) {
        guestRequest("waitForService", node, service, timeout);
    }

    /** Waits, on {@code node}'s host, until TCP {@code port} listens in the guest. */
    public void waitForPort(String node, int port, Duration timeout) {
        guestRequest("waitForPort", node, Integer.toString(port), timeout);
    }

    /** Starts the image's service {@code service} on {@code node} through the service map. */
    public void startService(String node, String service, Duration timeout) {
        guestRequest("startService", node, service, timeout);
    }

    /** Stops the image's service {@code service} on {@code node} through the service map. */
    public void stopService(String node, String service, Duration timeout) {
        guestRequest("stopService", node, service, timeout);
    }

    private void guestRequest(String op, String node, String arg, Duration timeout) {
        ObjectNode r = agentOf(node).request(op);
        r.put("node", node);
        r.put("arg", arg);
        r.put("timeoutMs", timeout.toMillis());
        callOn(hostOf(node), r, options.timing().scale(timeout).plus(CALL));
    }

    /** The node's state as its host's runtime sees it ({@code READY}, {@code CRASHED}, ...). */
    public String state(String node) {
        return nodeRequest("state", node).path("state").asText();
    }

    /**
     * Cuts every node of {@code side} from every node of {@code other}, both ways, silently (at the
     * bridges of every host); closing the handle heals. One partition at a time.
     */
    public AutoCloseable partition(Set<String> side, Set<String> other) {
        side.forEach(spec::node);
        other.forEach(spec::node);
        cut(CrossHostPartition.between(side, other));
        return () -> cut(new CrossHostPartition(List.of()));
    }

    /**
     * Puts exactly the cuts of {@code p} in place at the bridges of every host, replacing those
     * before (none heals); returns when every host has them.
     */
    public void cut(CrossHostPartition p) {
        p.cuts().forEach(c -> c.forEach(spec::node));
        onEach(spec.placement().hosts(), h -> {
            ObjectNode r = remote(h.name()).agent().request("partition");
            r.set(
                    "cuts",
                    r.arrayNode()
                            .addAll(p.cuts().stream()
                                    .map(c -> (com.fasterxml.jackson.databind.JsonNode)
                                            r.arrayNode().add(c.get(0)).add(c.get(1)))
                                    .toList()));
            return callOn(h.name(), r, CALL);
        });
    }

    private JsonNode nodeRequest(String op, String node) {
        ObjectNode r = agentOf(node).request(op);
        r.put("node", node);
        return callOn(hostOf(node), r, options.timing().scale(BOOT));
    }

    private JsonNode callOn(String host, ObjectNode request, Duration timeout) {
        Remote r = remote(host);
        return call(r.host(), r.agent(), request, timeout);
    }

    private AgentClient agentOf(String node) {
        return remote(hostOf(node)).agent();
    }

    private Remote remote(String host) {
        Remote r = remotes.get(host);
        if (r == null || closed) {
            throw new IllegalStateException(
                    "host " + host + " has no agent" + (closed ? " (the cluster is closed)" : ""));
        }
        return r;
    }

    /**
     * Stops every host's share (its QEMUs, namespace, bridges, taps and tunnels), copies each host's
     * results into {@code resultsDir/<host>/}, and ends every SSH session (the agents end and
     * remove their directories). Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Closer closer = new Closer();
        List<Remote> all;
        synchronized (remotes) {
            all = new ArrayList<>(remotes.values());
        }
        for (Remote r : all) {
            closer.run("closing host " + r.host().name(), () -> {
                try {
                    r.agent().call(r.agent().request("close"), CALL);
                } finally {
                    copyResults(r);
                    r.agent().close(); // end of input: the agent ends, its wrapper removes its directory
                    if (!r.ssh().awaitAgentExit(AGENT_START)) {
                        LOG.warn(
                                "host {}: the agent did not exit within {} s of its input's end; disconnecting",
                                r.host().name(),
                                AGENT_START.toSeconds());
                    }
                    r.ssh().close();
                }
            });
        }
        closer.throwIfFailed();
    }

    private void copyResults(Remote r) {
        Path dest = options.resultsDir().resolve(r.host().name());
        Path tar = dest.resolve("results.tar");
        try {
            SshHost.Result t = r.ssh().runTo(List.of("tar", "-C", r.dir() + "/results", "-cf", "-", "."), tar, COPY);
            if (t.exit() == 0) {
                io.vmcluster.process.Commands.with(options.timing())
                        .succeed(COPY, "tar", "-C", dest.toString(), "-xf", tar.toString());
                Files.deleteIfExists(tar);
            } else {
                LOG.warn(
                        "host {}: its results were not copied: {}",
                        r.host().name(),
                        t.stderr().strip());
            }
        } catch (RuntimeException | IOException e) {
            LOG.warn("host {}: its results were not copied: {}", r.host().name(), e.toString());
        }
    }
}
