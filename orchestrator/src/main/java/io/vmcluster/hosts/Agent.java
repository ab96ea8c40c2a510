package io.vmcluster.hosts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmcluster.cluster.Cluster;
import io.vmcluster.cluster.ClusterShare;
import io.vmcluster.cluster.Node;
import io.vmcluster.cluster.NodeBootException;
import io.vmcluster.cluster.RunOptions;
import io.vmcluster.cluster.spec.ClusterSpec;
import io.vmcluster.cluster.spec.ClusterSpecLoader;
import io.vmcluster.cluster.spec.InvalidClusterSpecException;
import io.vmcluster.command.CommandResult;
import io.vmcluster.image.InvalidImageException;
import io.vmcluster.network.HostSupport;
import io.vmcluster.process.Commands;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.time.Timing;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-run agent on one host of a cluster spread over several ({@code vmcluster agent}, started
 * by the coordinator over SSH): the same runtime as a one-host run, for this host's share of the
 * nodes ({@link Cluster#startShare}), driven by requests on stdin, one JSON object a line, each
 * answered on stdout by a line with the same {@code id} ({@code ok} true with the result, or false
 * with {@code error} and {@code kind}: {@code host}, {@code invalid} or {@code failed}). QMP and
 * the consoles are the agent's own, on this host; the coordinator sees them through this
 * connection only.
 *
 * <p>It lives exactly as long as its connection: end of input (the coordinator closed the SSH
 * session, or died and the kernel closed its socket) closes the cluster (every QEMU, the
 * namespace with its bridges, taps and tunnels) and ends the agent. Its QEMUs die with it even
 * after {@code kill -9} (pdeathsig), and the next run's reaper removes a namespace it left.
 *
 * <p>Requests: {@code boot} (cluster text, params for every node, host name, VNI base, accelerator, timing multiplier),
 * {@code exec} (node, command, timeoutMs), {@code crash}, {@code start}, {@code restart}, {@code
 * pause}, {@code resume}, {@code reset}, {@code shutdown} (node), {@code waitForService}, {@code
 * waitForPort}, {@code startService}, {@code stopService} (node, arg: the service or port,
 * timeoutMs), {@code partition}
 * (cuts: [[from, to], ...]; empty heals), {@code check} (what this host lacks), {@code close}.
 */
public final class Agent {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path workDir;
    private final OutputStream out;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "vmc-agent");
        t.setDaemon(true);
        return t;
    });
    private volatile Cluster cluster;
    private volatile ClusterSpec spec;

    private Agent(Path workDir, OutputStream out) {
        this.workDir = workDir;
        this.out = out;
    }

    /** Serves requests from {@code in} until it ends, then closes everything it started. */
    public static void serve(InputStream in, OutputStream out, Path workDir) {
        new Agent(workDir, out).loop(in);
    }

    private void loop(InputStream in) {
        ObjectNode hello = JSON.createObjectNode();
        hello.put("agent", "ready");
        hello.put("pid", ProcessHandle.current().pid());
        write(hello);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) continue;
                JsonNode req = JSON.readTree(line);
                pool.submit(() -> answer(req));
            }
            LOG.info("the coordinator's connection ended: closing this host's share of the cluster");
        } catch (IOException e) {
            LOG.warn("the coordinator's connection broke ({}): closing this host's share of the cluster", e.toString());
        } finally {
            pool.shutdownNow();
            Cluster c = cluster;
            if (c != null) {
                c.close();
            }
        }
    }

    private void answer(JsonNode req) {
        ObjectNode reply = JSON.createObjectNode();
        reply.put("id", req.path("id").asLong());
        try {
            handle(req, reply);
            reply.put("ok", true);
        } catch (InvalidClusterSpecException e) {
            fail(reply, "invalid", e);
        } catch (InvalidImageException | NodeBootException | HostException e) {
            fail(reply, "host", e);
        } catch (RuntimeException e) {
            LOG.warn("request {} failed", req.path("op").asText(), e);
            fail(reply, "failed", e);
        }
        write(reply);
    }

    private static void fail(ObjectNode reply, String kind, RuntimeException e) {
        reply.put("ok", false);
        reply.put("kind", kind);
        reply.put("error", String.valueOf(e.getMessage()));
    }

    private void handle(JsonNode req, ObjectNode reply) {
        String op = req.path("op").asText();
        switch (op) {
            case "check" -> {
                List<String> missing = new ArrayList<>(HostSupport.missing());
                reply.set("missing", JSON.valueToTree(missing));
            }
            case "boot" -> boot(req, reply);
            case "exec" -> {
                CommandResult r = node(req)
                        .exec(
                                req.path("command").asText(),
                                Duration.ofMillis(req.path("timeoutMs").asLong(60_000)));
                reply.put("exit", r.exitCode());
                reply.put("stdout", Base64.getEncoder().encodeToString(r.stdout()));
                reply.put("stderr", Base64.getEncoder().encodeToString(r.stderr()));
                reply.put("ms", r.duration().toMillis());
            }
            case "crash" -> node(req).crash();
            case "start" -> {
                Node n = node(req);
                n.start();
                n.awaitReady();
            }
            case "restart" -> node(req).restart();
            case "pause" -> node(req).pause();
            case "resume" -> node(req).resume();
            case "reset" -> {
                Node n = node(req);
                n.reset();
                n.awaitReady();
            }
            case "shutdown" -> node(req).shutdown();
            case "waitForService" -> node(req).waitForService(req.path("arg").asText(), timeout(req));
            case "waitForPort" -> node(req).waitForPort(req.path("arg").asInt(), timeout(req));
            case "startService" -> node(req).startService(req.path("arg").asText(), timeout(req));
            case "stopService" -> node(req).stopService(req.path("arg").asText(), timeout(req));
            case "state" -> reply.put("state", node(req).state().name());
            case "partition" -> partition(req);
            case "close" -> {
                Cluster c = cluster;
                cluster = null;
                if (c != null) c.close();
            }
            default -> throw new IllegalArgumentException("unknown request '" + op + "'");
        }
    }

    private void boot(JsonNode req, ObjectNode reply) {
        if (cluster != null) {
            throw new IllegalStateException("this agent runs a cluster already");
        }
        java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
        req.path("params")
                .fields()
                .forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
        ClusterSpec s = ClusterSpecLoader.parse(
                req.path("cluster").asText(), req.path("source").asText("cluster"), params);
        String host = req.path("host").asText();
        int vniBase = req.path("vniBase").asInt();
        Set<String> mine = new HashSet<>(s.placement().nodesOn(host, s.nodeNames()));
        List<VxlanJoin> joins = HostsNetwork.joins(s, host, vniBase);
        Timing timing = Timing.withMultiplier(req.path("timing").asDouble(1.0));
        RunOptions options = RunOptions.defaults()
                .withTiming(timing)
                .withAccelerator(Accelerator.parse(req.path("accelerator").asText("auto")))
                .withResultsDir(workDir.resolve("results"));
        Commands here = Commands.with(timing);
        spec = s;
        cluster = Cluster.startShare(
                s,
                options,
                new ClusterShare(mine, HostsNetwork.index(s, host), ns -> joins.forEach(j -> j.apply(ns, here))));
        reply.put("namespace", cluster.namespace().name());
        reply.put("results", cluster.runDir().toString());
        reply.set(
                "tunnels",
                JSON.valueToTree(joins.stream()
                        .map(j -> j.device() + " vni " + j.vni() + " -> " + j.peers())
                        .toList()));
    }

    private void partition(JsonNode req) {
        List<List<String>> cuts = new ArrayList<>();
        for (JsonNode c : req.path("cuts")) {
            cuts.add(List.of(c.get(0).asText(), c.get(1).asText()));
        }
        Cluster c = running();
        Set<String> here = new HashSet<>();
        c.nodes().forEach(n -> here.add(n.name()));
        String rules = new CrossHostPartition(cuts).ruleset(spec, here);
        c.namespace()
                .exec(List.of("nft", "-f", "-"), rules.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30))
                .orThrow();
    }

    private static Duration timeout(JsonNode req) {
        return Duration.ofMillis(req.path("timeoutMs").asLong(60_000));
    }

    private Node node(JsonNode req) {
        return running().node(req.path("node").asText());
    }

    private Cluster running() {
        Cluster c = cluster;
        if (c == null) {
            throw new IllegalStateException("no cluster runs on this agent (boot first)");
        }
        return c;
    }

    private synchronized void write(JsonNode message) {
        try {
            out.write(JSON.writeValueAsBytes(message));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot answer the coordinator", e);
        }
    }
}
