package io.vmcluster.repl;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Map;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.execution.Util;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisor's side of a {@code vmcluster repl} session: a JShell execution engine served over
 * one control connection (JShell's own remote protocol, {@link Util#forwardExecutionControlAndIO}).
 * The person's {@code jshell} compiles each snippet and sends its classes here; they are loaded
 * and run in this process, where the cluster lives, so {@link ReplBindings} reaches the very
 * {@code Cluster} and {@code Faults} the supervisor runs. What snippets print goes back to the
 * person's terminal ({@link OutputRouting}). A snippet that calls {@code System.exit} ends the
 * supervisor (its VMs die with it and the reaper removes the rest).
 */
public final class ReplEngine {
    private static final Logger LOG = LoggerFactory.getLogger(ReplEngine.class);

    private ReplEngine() {}

    /**
     * Serves one session on {@code ch} (the handshake already done) until the client closes it
     * or asks the engine to close; then closes {@code ch}.
     */
    public static void serve(SocketChannel ch) {
        OutputRouting.install();
        OutputRouting.Target target = new OutputRouting.Target();
        OutputRouting.route(target);
        LocalExecutionControl engine = new LocalExecutionControl();
        try {
            Util.forwardExecutionControlAndIO(
                    engine,
                    ChannelStreams.in(ch),
                    ChannelStreams.out(ch),
                    Map.of("out", target::out, "err", target::err),
                    Map.of());
        } catch (IOException e) {
            LOG.debug("repl session ended: {}", e.toString());
        } finally {
            target.alive = false;
            OutputRouting.unroute();
            engine.close();
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
