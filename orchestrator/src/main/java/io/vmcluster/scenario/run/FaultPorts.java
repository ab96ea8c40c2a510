package io.vmcluster.scenario.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmcluster.channel.CommandResult;
import io.vmcluster.cluster.Cluster;
import io.vmcluster.cluster.NicSpec;
import io.vmcluster.cluster.Node;
import io.vmcluster.fault.DataDisk;
import io.vmcluster.fault.ExecResult;
import io.vmcluster.fault.FaultCluster;
import io.vmcluster.fault.FaultTarget;
import io.vmcluster.fault.GuestShell;
import io.vmcluster.fault.HostNamespace;
import io.vmcluster.fault.NodeLifecycle;
import io.vmcluster.fault.NodeNic;
import io.vmcluster.fault.QmpPort;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** The fault API's narrow ports ({@link FaultCluster}, {@link FaultTarget}) over a running {@link Cluster}. */
final class FaultPorts {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration QMP_TIMEOUT = Duration.ofSeconds(30);

    private FaultPorts() {}

    static FaultCluster of(Cluster cluster) {
        List<FaultTarget> targets = new ArrayList<>();
        for (Node n : cluster.nodes()) targets.add(target(n));
        String id = cluster.runId().replaceAll("[^A-Za-z0-9_]", "_");
        if (id.length() > 40) id = id.substring(id.length() - 40);
        Path ns = cluster.namespace().path();
        return new FaultCluster(id, targets, namespace(ns), cluster.runDir());
    }

    private static FaultTarget target(Node node) {
        NodeLifecycle lifecycle = new NodeLifecycle() {
            @Override
            public void pause() {
                node.pause();
            }

            @Override
            public void resume() {
                node.resume();
            }

            @Override
            public void crash() {
                node.crash();
            }

            @Override
            public void restart() {
                node.restart();
            }

            @Override
            public void reset() {
                node.reset();
            }

            @Override
            public void shutdown(Duration bound) {
                node.shutdown();
            }

            @Override
            public void stopService(String service) {
                node.stopService(service);
            }

            @Override
            public void startService(String service) {
                node.startService(service);
            }
        };
        QmpPort qmp = (command, arguments) -> {
            ObjectNode args = arguments == null ? null : (ObjectNode) JSON.valueToTree(arguments);
            try {
                return node.qmp().execute(command, args, QMP_TIMEOUT).get();
            } catch (ExecutionException | CompletionException e) {
                Throwable c = e.getCause() == null ? e : e.getCause();
                throw c instanceof RuntimeException r ? r : new IllegalStateException(c.getMessage(), c);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during QMP " + command + " on " + node.name(), e);
            }
        };
        GuestShell shell = (command, timeout) -> {
            CommandResult r = node.exec(command, timeout);
            return new ExecResult(r.exitCode(), r.stdoutText(), r.stderrText());
        };
        return new FaultTarget() {
            @Override
            public String name() {
                return node.name();
            }

            @Override
            public List<NodeNic> nics() {
                List<NodeNic> out = new ArrayList<>();
                for (NicSpec n : node.nics()) {
                    out.add(new NodeNic(
                            n.deviceId(),
                            n.netdevId(),
                            n.tapName(),
                            n.mac().toString().toLowerCase(Locale.ROOT),
                            Optional.of(n.address().toString())));
                }
                return out;
            }

            @Override
            public QmpPort qmp() {
                return qmp;
            }

            @Override
            public GuestShell shell() {
                return shell;
            }

            @Override
            public NodeLifecycle lifecycle() {
                return lifecycle;
            }

            @Override
            public Optional<DataDisk> dataDisk() {
                return Optional.of(
                        new DataDisk(node.dataDiskDevice(), node.dataDiskNode(), "qcow2", node.dataDiskFileNode()));
            }
        };
    }

    /** Host tools run in the cluster's namespace with {@code nsenter}, stdin fed, bounded. */
    private static HostNamespace namespace(Path nsPath) {
        return (argv, stdin, timeout) -> {
            List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=" + nsPath, "--"));
            cmd.addAll(argv);
            Path out = null;
            Path err = null;
            try {
                out = Files.createTempFile("vmc-ns-", ".out");
                err = Files.createTempFile("vmc-ns-", ".err");
                Process p = new ProcessBuilder(cmd)
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
                try (OutputStream in = p.getOutputStream()) {
                    if (stdin != null && !stdin.isEmpty()) in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
                if (!p.waitFor(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                    throw new IllegalStateException("timed out after " + timeout.toMillis() + " ms running " + cmd);
                }
                return new ExecResult(p.exitValue(), Files.readString(out), Files.readString(err));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot run " + cmd, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted running " + cmd, e);
            } finally {
                deleteQuietly(out);
                deleteQuietly(err);
            }
        };
    }

    private static void deleteQuietly(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a temp file left in /tmp is not worth failing a fault for
        }
    }
}
