package io.vmcluster.repl;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * {@code System.out} and {@code System.err} of the supervisor, routed per thread: a REPL
 * session's snippet threads (and the threads they start) write to that session's terminal, every
 * other thread to the supervisor's own streams as before. A session's target is inherited by the
 * threads created while it is set ({@link InheritableThreadLocal}); once the session ends its
 * target is dead and those threads fall back to the supervisor's streams.
 */
final class OutputRouting {
    /** Where one session's output goes while it lasts. */
    static final class Target {
        volatile PrintStream out;
        volatile PrintStream err;
        volatile boolean alive = true;

        void out(OutputStream s) {
            out = new PrintStream(s, true);
        }

        void err(OutputStream s) {
            err = new PrintStream(s, true);
        }
    }

    private static final InheritableThreadLocal<Target> CURRENT = new InheritableThreadLocal<>();
    private static boolean installed;

    private OutputRouting() {}

    /** Replaces {@code System.out} and {@code System.err} by routing streams, once per process. */
    static synchronized void install() {
        if (installed) return;
        PrintStream out = System.out;
        PrintStream err = System.err;
        System.setOut(new PrintStream(new Routed(out, false), true));
        System.setErr(new PrintStream(new Routed(err, true), true));
        installed = true;
    }

    /** Sends this thread's output (and that of threads it starts from now on) to {@code t}. */
    static void route(Target t) {
        CURRENT.set(t);
    }

    static void unroute() {
        CURRENT.remove();
    }

    private static final class Routed extends OutputStream {
        private final PrintStream fallback;
        private final boolean err;

        Routed(PrintStream fallback, boolean err) {
            this.fallback = fallback;
            this.err = err;
        }

        private PrintStream target() {
            Target t = CURRENT.get();
            PrintStream s = t == null || !t.alive ? null : err ? t.err : t.out;
            return s == null ? fallback : s;
        }

        @Override
        public void write(int b) {
            target().write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            target().write(b, off, len);
        }

        @Override
        public void flush() {
            target().flush();
        }
    }
}
