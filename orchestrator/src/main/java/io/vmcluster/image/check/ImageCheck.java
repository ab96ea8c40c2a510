package io.vmcluster.image.check;

import io.vmcluster.cluster.Cluster;
import io.vmcluster.cluster.Node;
import io.vmcluster.cluster.RunOptions;
import io.vmcluster.cluster.spec.ClusterSpec;
import io.vmcluster.command.CommandResult;
import io.vmcluster.command.ShellQuote;
import io.vmcluster.events.EventSink;
import io.vmcluster.image.ImageManifest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The conformance check of an image against the contract (images/README.md), however the image
 * was made (the builder, Nix, by hand): boots one node of it (or several) and checks the contract point by
 * point: readiness on ttyS0, the console shell (exit code, stdout and stderr apart),
 * {@code /run/vmc/params} and the image's param defaults, hostname, address and {@code
 * /etc/hosts} from {@code vmc.*}, the data disk (ext4 at {@code /var/lib/vmc}, kept across a
 * restart), every service's status, stop, start and port, ssh with the run's key, the guest agent
 * when the image declares one, the contract's tools (a scenario's {@code nohup cmd >f 2>&1 &}
 * among them), and a graceful power-off. With several nodes, the network points (hostname,
 * address, {@code /etc/hosts}) are checked on every node and one more, "peers": every node reaches
 * every other by name; the rest on node1. Each point is a {@link CheckPoint}; a point that throws
 * fails with what was seen. Nothing here names a guest program.
 */
public final class ImageCheck {
    private static final Duration COMMAND = Duration.ofSeconds(30);
    private static final Duration SERVICE = Duration.ofSeconds(60);
    private static final String NODE = "node1";
    /** What images/README.md says every image has ("Tools"). */
    private static final List<String> TOOLS = List.of("sh", "nc", "ping", "ip", "tc", "ss", "nohup");

    /** The most nodes a check boots. */
    public static final int MAX_NODES = 9;

    private final String image;
    private final int nodes;
    private final RunOptions options;
    private final Consumer<CheckPoint> report;
    private final List<CheckPoint> points = new ArrayList<>();
    private final List<String> eventKinds = new CopyOnWriteArrayList<>();

    private ImageCheck(String image, int nodes, RunOptions options, Consumer<CheckPoint> report) {
        if (nodes < 1 || nodes > MAX_NODES) {
            throw new IllegalArgumentException("nodes must be 1.." + MAX_NODES + ", found " + nodes);
        }
        this.image = image;
        this.nodes = nodes;
        this.options = options;
        this.report = report;
    }

    /**
     * Checks {@code image} (an image directory, or a name the options' image store resolves).
     *
     * @param report called with each point as soon as it is known
     * @return every point, in the order checked
     */
    public static List<CheckPoint> run(String image, RunOptions options, Consumer<CheckPoint> report) {
        return run(image, 1, options, report);
    }

    /**
     * Checks {@code image} on {@code nodes} nodes (node1..nodeN; 1 to {@link #MAX_NODES}).
     *
     * @param report called with each point as soon as it is known
     * @return every point, in the order checked
     */
    public static List<CheckPoint> run(String image, int nodes, RunOptions options, Consumer<CheckPoint> report) {
        return new ImageCheck(image, nodes, options, report).run();
    }

    private List<CheckPoint> run() {
        ImageManifest m = options.images().resolve(image);
        String token = UUID.randomUUID().toString().substring(0, 8);
        ClusterSpec.Builder b = ClusterSpec.builder().name("image-check");
        for (int i = 1; i <= nodes; i++) {
            b.node("node" + i, n -> n.image(image).memoryMiB(Math.max(m.minMemoryMiB(), 256)));
        }
        ClusterSpec spec = b.build();
        EventSink events = event -> {
            eventKinds.add(event.kind());
            options.events().ifPresent(sink -> sink.record(event));
        };
        long start = System.nanoTime();
        Cluster cluster;
        try {
            cluster = Cluster.start(spec, options.withEvents(events));
        } catch (RuntimeException e) {
            add(CheckPoint.fail(
                    "readiness", "wants '" + m.readiness().lineFor(NODE) + "' on ttyS0 after boot: " + e.getMessage()));
            return points;
        }
        try (cluster) {
            Node n = cluster.node(NODE);
            List<Node> all = cluster.nodes();
            add(CheckPoint.pass(
                    "readiness",
                    "'" + m.readiness().lineFor(NODE) + "'" + (nodes > 1 ? " (and node2..node" + nodes + ")" : "")
                            + " on ttyS0 after " + (System.nanoTime() - start) / 1_000_000_000 + " s"));
            check("console shell", () -> console(n));
            check("params", () -> params(n, m));
            check("hostname", () -> everyNode(all, x -> expect(x, "hostname", x.name(), "the hostname is vmc.name")));
            check("address", () -> everyNode(all, this::address));
            check("/etc/hosts", () -> {
                String lines = everyNode(List.of(n), x -> hosts(x, all));
                everyNode(all, x -> hosts(x, all));
                return lines + (nodes > 1 ? " on each of the " + nodes + " nodes" : "");
            });
            if (nodes > 1) {
                check("peers", () -> peers(all));
            }
            check("tools", () -> tools(n));
            if (m.dataDisk() != null) {
                check(
                        "data disk",
                        () -> expect(
                                n,
                                "awk '$2 == \"/var/lib/vmc\" {print $3}' /proc/mounts",
                                "ext4",
                                "the data disk (serial " + m.dataDisk().serial()
                                        + ") formatted ext4 and mounted at /var/lib/vmc"));
            }
            for (String s : new TreeMap<>(m.services()).keySet()) {
                check("service " + s, () -> service(n, m, s));
            }
            if (m.channels() != null && m.channels().ssh() != null) {
                check(
                        "ssh",
                        () -> channel(
                                n.ssh().run("echo ssh-" + token, COMMAND),
                                "ssh-" + token,
                                "ssh as " + m.channels().ssh().user() + " with the run's key (vmc."
                                        + m.channels().ssh().keyParam() + ")"));
            }
            if (m.channels() != null && m.channels().agent() != null) {
                check(
                        "guest agent",
                        () -> channel(
                                n.agent().run("echo agent-" + token, COMMAND),
                                "agent-" + token,
                                "qemu-ga on the virtserialport "
                                        + m.channels().agent().name() + " runs commands"));
            }
            if (m.dataDisk() != null) {
                check("restart keeps data", () -> restartKeeps(n, token));
            }
            check("power button", () -> powerOff(n));
        }
        return points;
    }

    private String console(Node n) {
        CommandResult r = n.console().run("echo to-stdout; echo to-stderr >&2; exit 7", COMMAND);
        if (r.exitCode() == 7
                && r.stdoutText().equals("to-stdout\n")
                && r.stderrText().equals("to-stderr\n")) {
            return "exit code 7, stdout and stderr apart";
        }
        throw new Failed("wants exit code 7, stdout 'to-stdout\\n', stderr 'to-stderr\\n' from `echo to-stdout;"
                + " echo to-stderr >&2; exit 7`; got exit " + r.exitCode() + ", stdout '" + r.stdoutText()
                + "', stderr '" + r.stderrText() + "'");
    }

    private String params(Node n, ImageManifest m) {
        expect(n, "cat /run/vmc/params/name", NODE, "/run/vmc/params/name holds vmc.name");
        for (Map.Entry<String, String> p : new TreeMap<>(m.params()).entrySet()) {
            expect(
                    n,
                    "cat " + ShellQuote.quote("/run/vmc/params/" + p.getKey()),
                    p.getValue(),
                    "/run/vmc/params/" + p.getKey() + " holds the image's default for its param " + p.getKey());
        }
        return "/run/vmc/params/name and the image's " + m.params().size() + " param defaults";
    }

    private String address(Node n) {
        String ip = n.address().map(Object::toString).orElseThrow(() -> new Failed("the node has no address"));
        CommandResult r = n.console().run("ip -4 -o addr show", COMMAND);
        if (r.exitCode() == 0 && r.stdoutText().contains(" " + ip + "/")) {
            return ip + " on a NIC (vmc.ip / vmc.addrs)";
        }
        throw new Failed(
                "wants " + ip + " (vmc.ip / vmc.addrs) on a NIC; `ip -4 -o addr show` gave: " + r.stdoutText());
    }

    /** Every node of the check in /etc/hosts of {@code n} (vmc.hosts). */
    private String hosts(Node n, List<Node> all) {
        CommandResult r = n.console().run("cat /etc/hosts", COMMAND);
        List<String> lines = new ArrayList<>();
        for (Node peer : all) {
            String ip =
                    peer.address().map(Object::toString).orElseThrow(() -> new Failed(peer.name() + " has no address"));
            boolean found = r.stdoutText().lines().anyMatch(l -> {
                List<String> words = List.of(l.trim().split("\\s+"));
                return words.size() >= 2 && words.get(0).equals(ip) && words.contains(peer.name());
            });
            if (!found) {
                throw new Failed("wants a line '" + ip + " " + peer.name() + "' (from vmc.hosts); /etc/hosts is: "
                        + r.stdoutText());
            }
            lines.add("'" + ip + " " + peer.name() + "'");
        }
        return String.join(", ", lines) + " (vmc.hosts)";
    }

    /** Every node reaches every other by its name (ping, one packet each). */
    private String peers(List<Node> all) {
        for (Node from : all) {
            for (Node to : all) {
                if (from == to) continue;
                CommandResult r = from.console().run("ping -c 1 -W 5 " + to.name(), COMMAND);
                if (r.exitCode() != 0) {
                    throw new Failed("wants " + to.name() + " to answer " + from.name() + " by name (`ping -c 1 -W 5 "
                            + to.name() + "` on " + from.name() + "); it exited " + r.exitCode() + ": "
                            + (r.stdoutText() + r.stderrText()).strip());
                }
            }
        }
        return "each of the " + all.size() + " nodes pings every other by name";
    }

    /**
     * The contract's tools are on the PATH, and {@code nohup cmd >f 2>&1 &} (a scenario step's
     * way to leave something running) runs cmd with its output where it was sent.
     */
    private String tools(Node n) {
        String lookup = "for t in " + String.join(" ", TOOLS) + "; do command -v $t >/dev/null || echo $t; done";
        CommandResult r = n.console().run(lookup, COMMAND);
        if (r.exitCode() != 0 || !r.stdoutText().isBlank()) {
            throw new Failed("wants " + String.join(", ", TOOLS) + " on the PATH (images/README.md, Tools); missing: "
                    + String.join(", ", r.stdoutText().strip().lines().toList())
                    + (r.exitCode() != 0 ? " (exit " + r.exitCode() + ")" : ""));
        }
        expect(
                n,
                "f=/tmp/.vmc-image-check-nohup; nohup sh -c 'echo nohup-ran' >$f 2>&1 </dev/null & wait $!; cat $f;"
                        + " rm -f $f",
                "nohup-ran",
                "`nohup cmd >FILE 2>&1 &` to run cmd with its output in FILE");
        return String.join(" ", TOOLS) + " on the PATH; `nohup cmd >f 2>&1 &` wrote f";
    }

    /** {@code check} on every node: what each gave, "node1 ...; node2 ..." when there are several. */
    private static String everyNode(List<Node> all, java.util.function.Function<Node, String> check) {
        if (all.size() == 1) {
            return check.apply(all.get(0));
        }
        List<String> seen = new ArrayList<>();
        for (Node x : all) {
            try {
                seen.add(x.name() + " " + check.apply(x));
            } catch (Failed f) {
                throw new Failed(x.name() + ": " + f.getMessage());
            }
        }
        return String.join("; ", seen);
    }

    private String service(Node n, ImageManifest m, String s) {
        ImageManifest.Service svc = m.services().get(s);
        boolean tcp = "tcp".equalsIgnoreCase(svc.protocol()) && svc.port() > 0;
        String status = m.serviceControl().status().replace("{service}", s);
        int before = n.console().run(status, COMMAND).exitCode();
        if (before != 0 && before != 3) {
            throw new Failed("`" + status + "` exits 0 (running) or 3 (stopped); it exited " + before);
        }
        if (before == 0) {
            n.waitForService(s, SERVICE);
        }
        n.stopService(s);
        int stopped = n.console().run(status, COMMAND).exitCode();
        if (stopped != 3) {
            throw new Failed("after `" + m.serviceControl().stop().replace("{service}", s) + "`, `" + status
                    + "` exits 3 (stopped); it exited " + stopped);
        }
        n.startService(s);
        n.waitForService(s, SERVICE);
        if (before == 3) {
            n.stopService(s);
        }
        return (before == 0 ? "running at boot" : "stopped at boot") + "; stop -> 3, start -> 0"
                + (tcp ? ", listens on " + svc.port() + "/tcp" : svc.port() > 0 ? " (" + svc.port() + "/udp)" : "");
    }

    private String restartKeeps(Node n, String token) {
        n.succeed("echo " + token + " > /var/lib/vmc/.vmc-image-check && sync");
        n.restart();
        expect(
                n,
                "cat /var/lib/vmc/.vmc-image-check",
                token,
                "a file written to /var/lib/vmc before a graceful restart is there after it");
        n.succeed("rm -f /var/lib/vmc/.vmc-image-check");
        return "a file on /var/lib/vmc survived a power-button restart";
    }

    private String powerOff(Node n) {
        int forcedBefore = count("node.shutdown.forced");
        long t = System.nanoTime();
        n.shutdown();
        if (count("node.shutdown.forced") > forcedBefore) {
            throw new Failed("the ACPI power button (system_powerdown) powers the guest off; QEMU had to be killed"
                    + " after the shutdown bound");
        }
        return "powered off by itself " + (System.nanoTime() - t) / 1_000_000 + " ms after the button";
    }

    private int count(String kind) {
        return (int) eventKinds.stream().filter(kind::equals).count();
    }

    private static String expect(Node n, String command, String wanted, String contract) {
        CommandResult r = n.console().run(command, COMMAND);
        String got = r.stdoutText().strip();
        if (r.exitCode() == 0 && got.equals(wanted)) {
            return "'" + wanted + "'";
        }
        throw new Failed("wants " + contract + " ('" + wanted + "'); `" + command + "` gave exit " + r.exitCode()
                + ", '" + got + "'"
                + (r.stderrText().isBlank() ? "" : ", stderr '" + r.stderrText().strip() + "'"));
    }

    private static String channel(CommandResult r, String wanted, String contract) {
        if (r.exitCode() == 0 && r.stdoutText().strip().equals(wanted)) {
            return contract;
        }
        throw new Failed("wants " + contract + "; got exit " + r.exitCode() + ", '"
                + r.stdoutText().strip() + "'");
    }

    private void check(String point, java.util.function.Supplier<String> body) {
        try {
            add(CheckPoint.pass(point, body.get()));
        } catch (Failed f) {
            add(CheckPoint.fail(point, f.getMessage()));
        } catch (RuntimeException e) {
            add(CheckPoint.fail(point, e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    private void add(CheckPoint p) {
        points.add(p);
        report.accept(p);
    }

    /** A point the image does not honour; the message says what the contract wants. */
    private static final class Failed extends RuntimeException {
        Failed(String message) {
            super(message);
        }
    }
}
