package io.vmcluster.cluster;

import io.vmcluster.channel.AgentChannel;
import io.vmcluster.channel.CommandChannel;
import io.vmcluster.channel.ConsoleChannel;
import io.vmcluster.channel.SshChannel;
import io.vmcluster.cluster.spec.NicSpec;
import io.vmcluster.cluster.spec.NodeSpec;
import io.vmcluster.image.ImageManifest;
import io.vmcluster.qmp.QmpClient;
import io.vmcluster.qmp.agent.GuestAgentClient;
import io.vmcluster.time.Timing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The connections into one running QEMU: QMP and the hvc0 console (made by each start), SSH and
 * the guest agent (made on first use, anew after a restart). All of them go when QEMU goes.
 */
final class NodeChannels {
    private static final Duration AGENT_CONNECT = Duration.ofSeconds(30);
    private static final Duration SSH_CONNECT = Duration.ofSeconds(10);

    private final NodeSpec spec;
    private final ImageManifest image;
    private final List<NicSpec> nics;
    private final ClusterContext ctx;
    private final Optional<Path> agentSocket;
    private final Supplier<NodeState> state;
    private final Timing timing;

    // guarded by this
    private QmpClient qmp;
    private ConsoleChannel console;
    private SshChannel ssh;
    private AgentChannel agent;

    NodeChannels(
            NodeSpec spec,
            ImageManifest image,
            List<NicSpec> nics,
            ClusterContext ctx,
            Optional<Path> agentSocket,
            Supplier<NodeState> state) {
        this.spec = spec;
        this.image = image;
        this.nics = nics;
        this.ctx = ctx;
        this.agentSocket = agentSocket;
        this.state = state;
        this.timing = ctx.options().timing();
    }

    /** The connections a start made. */
    synchronized void connected(QmpClient qmp, ConsoleChannel console) {
        this.qmp = qmp;
        this.console = console;
    }

    /** The QMP client, or an exception naming the node's state when QEMU does not run. */
    synchronized QmpClient qmp() {
        if (qmp == null || qmp.isClosed()) {
            throw new IllegalStateException("node " + spec.name() + " has no QMP connection: it is " + state.get());
        }
        return qmp;
    }

    /** The QMP client if there is an open one (for a quick {@code quit}). */
    synchronized Optional<QmpClient> openQmp() {
        return qmp == null || qmp.isClosed() ? Optional.empty() : Optional.of(qmp);
    }

    synchronized CommandChannel console() {
        if (console == null) {
            throw new IllegalStateException("node " + spec.name() + " has no console: it is " + state.get());
        }
        return console;
    }

    synchronized CommandChannel ssh() {
        if (ssh == null) {
            if (ctx.namespace() == null || nics.isEmpty()) {
                throw new IllegalStateException("node " + spec.name() + " has no network the host can reach");
            }
            if (console == null) {
                throw new IllegalStateException("node " + spec.name() + " has no SSH: it is " + state.get());
            }
            NicSpec nic = reachableNic();
            ImageManifest.Ssh cfg =
                    image.channels() == null ? null : image.channels().ssh();
            int port = cfg == null || cfg.port() == 0 ? 22 : cfg.port();
            String user = cfg == null || cfg.user() == null ? "root" : cfg.user();
            ssh = SshChannel.create(
                    spec.name(),
                    nic.address().toString(),
                    port,
                    user,
                    ctx.sshKeys(),
                    ctx.namespace().sockets().jschSocketFactory(SSH_CONNECT),
                    timing);
        }
        return ssh;
    }

    /**
     * Commands over the guest agent; the channel (and its one connection to the agent's port) is
     * made on first use, and anew after a restart.
     */
    synchronized AgentChannel agent() {
        if (agent == null) {
            if (agentSocket.isEmpty() || console == null) {
                throw new IllegalStateException("node " + spec.name() + " has no guest agent"
                        + (agentSocket.isEmpty() ? " (the image declares none)" : ": it is " + state.get()));
            }
            agent = AgentChannel.create(spec.name(), agentSocket.get(), timing);
        }
        return agent;
    }

    /** The guest agent client of {@link #agent()}, connected (waiting for qemu-ga to answer). */
    GuestAgentClient guestAgent() {
        return agent().client(AGENT_CONNECT);
    }

    /** Closes every connection (QEMU is gone or going). */
    void closeAll() {
        QmpClient q;
        ConsoleChannel c;
        SshChannel s;
        AgentChannel a;
        synchronized (this) {
            q = qmp;
            c = console;
            s = ssh;
            a = agent;
            qmp = null;
            console = null;
            ssh = null;
            agent = null;
        }
        if (q != null) {
            q.close();
        }
        if (c != null) {
            c.close();
        }
        if (s != null) {
            s.close();
        }
        if (a != null) {
            a.close();
        }
    }

    /** The first NIC on a LAN (the host has an address on LANs only). */
    private NicSpec reachableNic() {
        return ctx.spec().segments().stream()
                .filter(s -> s.hostAddress().isPresent())
                .flatMap(s -> s.nics().stream())
                .filter(n -> n.node().equals(spec.name()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "node " + spec.name() + " is on no LAN, so the host cannot reach it over the network"));
    }
}
