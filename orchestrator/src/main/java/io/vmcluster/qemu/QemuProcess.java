package io.vmcluster.qemu;

import io.vmcluster.process.ChildProcess;
import io.vmcluster.process.ProcessLauncher;
import io.vmcluster.process.ProcessSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One running QEMU: started through the {@link ProcessLauncher} (dies with the JVM, inside the
 * cluster's network namespace), its exact argv written next to its logs, stderr to a file, ttyS0
 * to the {@link SerialLog}.
 */
public final class QemuProcess {
    private final ChildProcess child;
    private final QemuCommandLine commandLine;
    private final SerialLog serial;
    private final long serialOffset;
    private final Path stderr;

    private QemuProcess(
            ChildProcess child, QemuCommandLine commandLine, SerialLog serial, long serialOffset, Path stderr) {
        this.child = child;
        this.commandLine = commandLine;
        this.serial = serial;
        this.serialOffset = serialOffset;
        this.stderr = stderr;
    }

    /**
     * Writes {@code argvFile} (one argument per line), removes stale sockets, and starts QEMU.
     *
     * @param namespace network namespace QEMU runs in (where its taps are), if any
     */
    public static QemuProcess start(
            ProcessLauncher launcher,
            QemuCommandLine commandLine,
            Optional<String> namespace,
            Path argvFile,
            Path stderr) {
        List<String> argv = commandLine.argv();
        try {
            Files.write(argvFile, argv);
            for (Path socket : sockets(commandLine)) {
                Files.deleteIfExists(socket);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the files of " + commandLine.name() + ": " + e, e);
        }
        SerialLog serial = new SerialLog(commandLine.serialLog());
        long offset = serial.size();
        ProcessSpec spec = ProcessSpec.of(argv).stdout(stderr).stderr(stderr);
        if (namespace.isPresent()) {
            spec = spec.inNetworkNamespace(namespace.get());
        }
        return new QemuProcess(launcher.start(spec), commandLine, serial, offset, stderr);
    }

    private static List<Path> sockets(QemuCommandLine c) {
        return c.agentSocket().isPresent()
                ? List.of(c.qmpSocket(), c.consoleSocket(), c.agentSocket().get())
                : List.of(c.qmpSocket(), c.consoleSocket());
    }

    public long pid() {
        return child.pid();
    }

    public boolean isAlive() {
        return child.isAlive();
    }

    public CompletableFuture<Integer> onExit() {
        return child.onExit();
    }

    public QemuCommandLine commandLine() {
        return commandLine;
    }

    public Accelerator accelerator() {
        return commandLine.accelerator();
    }

    public SerialLog serial() {
        return serial;
    }

    /** Size of the serial log when this QEMU started: what it printed starts there. */
    public long serialOffset() {
        return serialOffset;
    }

    /** Whether the guest wrote anything to ttyS0 since this QEMU started. */
    public boolean showedSignOfLife() {
        return serial.size() > serialOffset;
    }

    /** SIGKILL and wait for it to be gone: a power cut, nothing flushed. */
    public int kill() {
        return child.kill();
    }

    /** The last lines QEMU wrote to stderr. */
    public String stderrTail(int lines) {
        return child.stderrTail(lines);
    }

    public Path stderrFile() {
        return stderr;
    }
}
