package io.vmcluster.qmp.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code qemu-system-x86_64} for tests: no kernel, TCG, a QMP unix socket in its own temp
 * directory. {@link #close()} kills it (by its own pid) and removes the directory.
 */
public final class QemuProcess implements AutoCloseable {
    public static final String BINARY = "qemu-system-x86_64";

    private final TempDir dir;
    private final Process process;
    private final Path qmpSocket;
    private final Path stderr;

    private QemuProcess(TempDir dir, Process process, Path qmpSocket, Path stderr) {
        this.dir = dir;
        this.process = process;
        this.qmpSocket = qmpSocket;
        this.stderr = stderr;
    }

    /** Whether the binary is on this host (tests skip otherwise). */
    public static boolean available() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, BINARY))) {
                return true;
            }
        }
        return false;
    }

    /** Starts QEMU with {@code -machine none} plus {@code extraArguments}. */
    public static QemuProcess start(String... extraArguments) throws IOException {
        return startMachine("none", extraArguments);
    }

    /** Starts QEMU with {@code -machine machine} plus {@code extraArguments}. */
    public static QemuProcess startMachine(String machine, String... extraArguments) throws IOException {
        TempDir dir = new TempDir("vmc-qmp-");
        try {
            Path socket = dir.resolve("qmp.sock");
            Path stderr = dir.resolve("qemu.stderr");
            List<String> command = new ArrayList<>(List.of(
                    BINARY,
                    "-machine",
                    machine,
                    "-accel",
                    "tcg",
                    "-nodefaults",
                    "-display",
                    "none",
                    "-qmp",
                    "unix:" + socket + ",server=on,wait=off"));
            command.addAll(List.of(extraArguments));
            Process process = new ProcessBuilder(command)
                    .directory(dir.path().toFile())
                    .redirectOutput(dir.resolve("qemu.stdout").toFile())
                    .redirectError(stderr.toFile())
                    .start();
            return new QemuProcess(dir, process, socket, stderr);
        } catch (IOException | RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    public Path qmpSocket() {
        return qmpSocket;
    }

    public Path dir() {
        return dir.path();
    }

    public Process process() {
        return process;
    }

    /** QEMU's stderr so far (for failure messages). */
    public String stderr() {
        try {
            return Files.exists(stderr) ? Files.readString(stderr, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Waits for QEMU to exit by itself; true if it did within {@code timeout}. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            dir.close();
        }
    }
}
