package io.vmcluster.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM running a test main class with this JVM's class path, so a test can kill it with
 * {@code kill -9} and look at what it left. Its stdout lines are queued for {@link #awaitLine}.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private ChildJvm(Process process) {
        this.process = process;
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            lines.add(line);
                        }
                    } catch (IOException ignored) {
                        // the JVM died
                    }
                },
                "child-jvm-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code main} in a new JVM; its stderr goes to {@code stderr}. */
    public static ChildJvm start(Class<?> main, Path stderr, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
        cmd.addAll(List.of(args));
        try {
            return new ChildJvm(new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the next stdout line starting with {@code prefix}; returns the rest, split on spaces. */
    public String[] awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("the child JVM printed no line starting with '" + prefix + "' within "
                        + timeout + "; alive=" + process.isAlive() + ", lines so far: " + seen);
            }
            seen.add(line);
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).strip().split(" ");
            }
        }
    }

    public long pid() {
        return process.pid();
    }

    /** {@code kill -9}. Returns once the JVM is gone. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("child JVM " + pid() + " survived SIGKILL for 10 s");
        }
    }

    /** SIGTERM, as a service manager or Ctrl-C would stop it. Returns the exit code. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("child JVM " + pid() + " did not exit within " + timeout + " of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
