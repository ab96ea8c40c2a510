package io.vmcluster.qmp.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code qemu-ga} on the host, listening on a unix socket in a temp dir, with the RPCs
 * that could harm the host blocked (shutdown, suspend, set-time, fsfreeze, vcpus, passwords…).
 * {@link #close()} kills it by pid and removes the directory.
 */
public final class GuestAgentProcess implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/qemu-ga");
    /** Blocked: everything that would change the host itself. */
    public static final String BLOCKED = String.join(
            ",",
            "guest-shutdown",
            "guest-suspend-disk",
            "guest-suspend-ram",
            "guest-suspend-hybrid",
            "guest-set-time",
            "guest-fsfreeze-freeze",
            "guest-fsfreeze-freeze-list",
            "guest-fsfreeze-thaw",
            "guest-fstrim",
            "guest-set-vcpus",
            "guest-set-memory-blocks",
            "guest-set-user-password",
            "guest-ssh-add-authorized-keys",
            "guest-ssh-remove-authorized-keys");

    private final TempDir dir;
    private final Process process;
    private final Path socket;

    private GuestAgentProcess(TempDir dir, Process process, Path socket) {
        this.dir = dir;
        this.process = process;
        this.socket = socket;
    }

    /** Whether qemu-ga is installed and we are root (it needs to be, to be useful here). */
    public static boolean available() {
        return Files.isExecutable(BINARY) && "root".equals(System.getProperty("user.name"));
    }

    public static GuestAgentProcess start() throws IOException {
        TempDir dir = new TempDir("vmc-qga-");
        try {
            Path socket = dir.resolve("qga.sock");
            Path state = Files.createDirectory(dir.resolve("state"));
            Process process = new ProcessBuilder(List.of(
                            BINARY.toString(),
                            "-m",
                            "unix-listen",
                            "-p",
                            socket.toString(),
                            "-t",
                            state.toString(),
                            "-f",
                            dir.resolve("qga.pid").toString(),
                            "-b",
                            BLOCKED))
                    .directory(dir.path().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("qga.log").toFile())
                    .start();
            return new GuestAgentProcess(dir, process, socket);
        } catch (IOException | RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    public Path socket() {
        return socket;
    }

    public Path dir() {
        return dir.path();
    }

    /** qemu-ga's log so far. */
    public String log() {
        try {
            return Files.readString(dir.resolve("qga.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
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
