package io.vmcluster.live;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.nativeio.Native;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How a cluster comes to outlive the command that booted it. The command ({@code vmcluster up})
 * starts this same vmcluster again as the cluster's supervisor, in a session of its own
 * ({@code setsid}: the terminal's Ctrl-C and hang-up do not reach it), and relays the
 * supervisor's output (one pipe for stdout and stderr) until the supervisor hands off: one line
 * {@code <RS>vmc-handoff {"exit": N}} after which the supervisor writes to its log and the command
 * exits with N. If the supervisor ends instead, its output was its error and its exit code is the
 * command's.
 *
 * <p>The supervisor's stdin is a pipe from the command: end of file before the hand-off means the
 * command died (Ctrl-C, kill -9), and the supervisor stops and removes everything it started.
 * After the hand-off a killed supervisor's QEMUs die with it (PR_SET_PDEATHSIG) and the reaper
 * removes the rest, as for any run.
 */
public final class Detached {
    static final String HANDOFF = "\u001evmc-handoff ";

    private static final AtomicBoolean HANDED_OFF = new AtomicBoolean();

    private Detached() {}

    /** The argv that starts this vmcluster (same JVM, options, class path) with {@code args}. */
    public static List<String> selfCommand(List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add("setsid");
        argv.add(ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        argv.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        argv.add("-cp");
        argv.add(System.getProperty("java.class.path"));
        argv.add("io.vmcluster.cli.Vmcluster");
        argv.addAll(args);
        return argv;
    }

    /**
     * Starts {@code argv} as a detached supervisor in {@code cwd} and relays its output to {@code
     * out} until it hands off (its exit code) or ends (its exit status).
     */
    public static int startAndRelay(List<String> argv, Path cwd, PrintWriter out) {
        Process p;
        try {
            p = new ProcessBuilder(argv)
                    .directory(cwd.toFile())
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the cluster's supervisor: " + e.getMessage(), e);
        }
        // p's stdin stays open as long as this JVM lives: its end of file tells the supervisor we are gone
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith(HANDOFF)) {
                    JsonNode h = Control.JSON.readTree(line.substring(HANDOFF.length()));
                    out.flush();
                    return h.path("exit").asInt(4);
                }
                out.println(line);
                out.flush();
            }
            return p.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the supervisor's output: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroy();
            return 130;
        }
    }

    /**
     * In the supervisor: a thread that stops this process (its shutdown hooks remove the cluster)
     * when stdin ends before {@link #handOff}: the command that started it is gone.
     */
    public static void stopIfOrphaned(InputStream stdin, PrintStream log) {
        Thread t = new Thread(
                () -> {
                    try {
                        byte[] buf = new byte[256];
                        while (stdin.read(buf) >= 0) {
                            // nothing is sent on this pipe; only its end matters
                        }
                    } catch (IOException e) {
                        // the same: the other side is gone
                    }
                    if (!HANDED_OFF.get()) {
                        log.println("vmcluster: the command that started this cluster is gone before the cluster was"
                                + " ready: stopping it");
                        log.flush();
                        System.exit(130);
                    }
                },
                "vmc-supervisor-stdin");
        t.setDaemon(true);
        t.start();
    }

    /**
     * In the supervisor: tells the starting command to exit with {@code exit}, then sends this
     * process's stdout and stderr to {@code log} (created) from now on.
     */
    public static void handOff(int exit, Path log) {
        try {
            Files.createDirectories(log.getParent());
            Files.write(log, new byte[0], StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + log + ": " + e.getMessage(), e);
        }
        HANDED_OFF.set(true);
        System.out.flush();
        System.err.flush();
        System.out.println(HANDOFF + Control.JSON.createObjectNode().put("exit", exit));
        System.out.flush();
        Native.redirectStdoutAndStderr(log);
    }
}
