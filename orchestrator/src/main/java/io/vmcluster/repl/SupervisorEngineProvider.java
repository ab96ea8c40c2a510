package io.vmcluster.repl;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.live.Control;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;
import jdk.jshell.execution.StreamingExecutionControl;
import jdk.jshell.execution.Util;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * The person's side of a {@code vmcluster repl} session: the JShell execution engine named {@value
 * #NAME}, which runs snippets in a live cluster's supervisor ({@link ReplEngine}). Each engine
 * JShell asks for (at start, and again after {@code /reset} or {@code /reload}) is one new
 * connection to the control socket with the request {@code {"op":"repl"}}. The {@code jshell}
 * tool finds this provider by its name through the {@code ServiceLoader}; {@link #target(Path)}
 * says which socket it connects to. Its {@code stop} (the person's Ctrl-C while a snippet runs)
 * is a request {@code {"op":"repl-stop","session":N}} on a connection of its own: the session's
 * connection is read by the supervisor only between snippets. jshell runs a line's snippets one by
 * one; a Ctrl-C between two of them stops nothing (the reply's {@code stopped} is false), and the
 * person is told so.
 */
public final class SupervisorEngineProvider implements ExecutionControlProvider {
    public static final String NAME = "vmcluster";

    /** What a Ctrl-C that stopped nothing shows (jshell itself would show nothing). */
    static final String NOTHING_RUNNING = "|  Ctrl-C: nothing was running to stop (it came between two snippets of the"
            + " line); press Ctrl-C again to stop the next one";

    private static volatile Path defaultSocket;
    private final Path socket;

    /** The service-loader instance: connects to the socket given to {@link #target(Path)}. */
    public SupervisorEngineProvider() {
        this(null);
    }

    /** An engine on {@code socket} (for the JShell API: {@code JShell.builder().executionEngine(p, null)}). */
    public SupervisorEngineProvider(Path socket) {
        this.socket = socket;
    }

    /** The control socket the service-loader instance connects to. */
    public static void target(Path socket) {
        defaultSocket = socket;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) throws Throwable {
        Path s = socket != null ? socket : defaultSocket;
        if (s == null) throw new IllegalStateException("no cluster to run snippets in (vmcluster repl sets one)");
        SocketChannel ch = Control.connect(s);
        try {
            JsonNode reply = Control.call(ch, Control.request("repl"));
            if (!reply.path("ok").asBoolean(false)) {
                throw new IllegalStateException(reply.path("error").asText("the supervisor refused the repl"));
            }
            long session = reply.path("session").asLong();
            return Util.remoteInputOutput(
                    ChannelStreams.in(ch),
                    ChannelStreams.out(ch),
                    Map.of("out", env.userOut(), "err", env.userErr()),
                    Map.of(),
                    (in, out) -> new StreamingExecutionControl(out, in) {
                        @Override
                        public void stop() throws InternalException {
                            try {
                                JsonNode r = Control.call(
                                        s, Control.request("repl-stop").put("session", session));
                                if (!r.path("ok").asBoolean(false)) {
                                    throw new InternalException(r.path("error").asText());
                                }
                                if (!r.path("stopped").asBoolean(true)) {
                                    env.userErr().println(NOTHING_RUNNING);
                                }
                            } catch (IOException e) {
                                throw new InternalException("cannot reach the cluster's supervisor to stop the"
                                        + " snippet: " + e.getMessage());
                            }
                        }

                        @Override
                        public void close() {
                            try {
                                super.close();
                            } finally {
                                closeQuietly(ch);
                            }
                        }
                    });
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
