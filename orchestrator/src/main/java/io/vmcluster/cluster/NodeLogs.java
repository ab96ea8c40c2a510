package io.vmcluster.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmcluster.qemu.SerialLog;
import io.vmcluster.qmp.QmpEvent;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A node's files in the results directory, kept after the run: {@code serial.log} (ttyS0,
 * appended across restarts), {@code console.log} (the hvc0 transcript), {@code qmp-events.jsonl},
 * {@code qemu.argv} and {@code qemu.stderr}. Writes are best effort once closed.
 */
final class NodeLogs implements AutoCloseable {
    /** The subdirectory the guest's service logs are copied to ({@link ServiceLogs}). */
    static final String SERVICES = "services";

    /** The file of the streamed service logs, next to {@link #SERVICES}. */
    static final String STREAM = "services.stream";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String node;
    private final Path dir;
    private final SerialLog serial;
    private final AppendedFile qmpEvents;
    private final AppendedFile console;

    NodeLogs(String node, Path dir) {
        this.node = node;
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            this.qmpEvents = new AppendedFile(dir.resolve("qmp-events.jsonl"));
            this.console = new AppendedFile(dir.resolve("console.log"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the log directory of node " + node + ": " + dir, e);
        }
        this.serial = new SerialLog(dir.resolve("serial.log"));
    }

    Path dir() {
        return dir;
    }

    SerialLog serial() {
        return serial;
    }

    /**
     * Where QEMU appends the guest's service-log stream ({@code SERVICE<TAB>line}), across every
     * boot of the node; {@link ServiceLogs} splits it into {@code services/SERVICE.log}.
     */
    Path serviceStream() {
        return dir.resolve(STREAM);
    }

    /** Where each QEMU start writes its exact command line. */
    Path argv() {
        return dir.resolve("qemu.argv");
    }

    /** Where QEMU's stdout and stderr go (appended across restarts). */
    Path stderr() {
        return dir.resolve("qemu.stderr");
    }

    /** One line of {@code qmp-events.jsonl}: time, event, data. */
    void qmpEvent(QmpEvent event) {
        ObjectNode o = JSON.createObjectNode();
        o.put("time", event.timestamp().toString());
        o.put("event", event.name());
        if (event.data() != null) {
            o.set("data", event.data());
        }
        qmpEvents.line(o.toString());
    }

    /** One line of the console transcript. */
    void consoleLine(String line) {
        console.line("[" + node + "] " + line);
    }

    @Override
    public void close() {
        qmpEvents.close();
        console.close();
    }

    /** A text file lines are appended to from several threads, flushed line by line. */
    private static final class AppendedFile {
        private final BufferedWriter out;

        AppendedFile(Path file) throws IOException {
            this.out = Files.newBufferedWriter(
                    file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }

        synchronized void line(String text) {
            try {
                out.write(text);
                out.write('\n');
                out.flush();
            } catch (IOException e) {
                // the log is best effort once closed
            }
        }

        synchronized void close() {
            try {
                out.close();
            } catch (IOException ignored) {
                // closing logs at the end of a run
            }
        }
    }
}
