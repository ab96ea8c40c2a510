package io.vmcluster.repl;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
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
 * person's terminal ({@link OutputRouting}). A snippet's {@code System.exit} throws instead of
 * ending the supervisor ({@link SnippetExit}).
 *
 * <p>Each session has a number. JShell's protocol reads the next command (its {@code stop} among
 * them) only after the running snippet returned, so the person's Ctrl-C arrives on a connection
 * of its own ({@code repl-stop}, {@link #stop}) and stops the session's snippet threads here.
 */
public final class ReplEngine {
    private static final Logger LOG = LoggerFactory.getLogger(ReplEngine.class);

    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Engine> sessions = new ConcurrentHashMap<>();

    /** What a {@link #stop} found. */
    public enum Stop {
        /** No session of that number. */
        NO_SESSION,
        /** A snippet was running: it and the threads it started are stopped. */
        STOPPED,
        /**
         * No snippet was running: jshell runs a line's snippets one by one, and the Ctrl-C came
         * after one ended and before the next began (or after the last); nothing is stopped.
         */
        NOTHING_RUNNING
    }

    /** JShell's engine in this process, loading snippet classes with their System.exit redirected. */
    private static final class Engine extends LocalExecutionControl {
        private final Object lock = new Object();
        private boolean running;

        @Override
        protected void clientCodeEnter() {
            synchronized (lock) {
                running = true;
                super.clientCodeEnter();
            }
        }

        @Override
        protected void clientCodeLeave() {
            synchronized (lock) {
                running = false;
                super.clientCodeLeave();
            }
        }

        /** Stops the running snippet; false when none runs (LocalExecutionControl.stop does nothing then). */
        boolean stopRunning() throws EngineTerminationException, InternalException {
            synchronized (lock) {
                if (!running) return false;
                stop();
                return true;
            }
        }

        @Override
        public void load(ClassBytecodes[] cbcs)
                throws ClassInstallException, NotImplementedException, EngineTerminationException {
            super.load(redirected(cbcs));
        }

        @Override
        public void redefine(ClassBytecodes[] cbcs)
                throws ClassInstallException, NotImplementedException, EngineTerminationException {
            super.redefine(redirected(cbcs));
        }

        private static ClassBytecodes[] redirected(ClassBytecodes[] cbcs) {
            ClassBytecodes[] r = new ClassBytecodes[cbcs.length];
            for (int i = 0; i < cbcs.length; i++) {
                r[i] = new ClassBytecodes(cbcs[i].name(), SnippetExit.redirect(cbcs[i].bytecodes()));
            }
            return r;
        }
    }

    /** A new session's number, for the handshake's reply; then {@link #serve} it. */
    public long open() {
        long id = ids.incrementAndGet();
        sessions.put(id, new Engine());
        return id;
    }

    /**
     * Stops the snippet session {@code id} is running, and the threads it started (JShell's
     * {@code stop}: a snippet that has not begun yet is left alone).
     */
    public Stop stop(long id) {
        Engine engine = sessions.get(id);
        if (engine == null) return Stop.NO_SESSION;
        try {
            return engine.stopRunning() ? Stop.STOPPED : Stop.NOTHING_RUNNING;
        } catch (Exception e) {
            LOG.warn("stopping the snippet of repl session {}", id, e);
            return Stop.STOPPED; // it was running: the person sees no note, this log says why it runs on
        }
    }

    /**
     * Serves session {@code id} ({@link #open}) on {@code ch}, the handshake already done, until
     * the client closes it or asks the engine to close; then closes {@code ch}.
     */
    public void serve(long id, SocketChannel ch) {
        Engine engine = sessions.get(id);
        if (engine == null) throw new IllegalArgumentException("no repl session " + id);
        OutputRouting.install();
        OutputRouting.Target target = new OutputRouting.Target();
        OutputRouting.route(target);
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
            sessions.remove(id);
            engine.close();
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
