package io.vmcluster.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmcluster.process.ProcessIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;

/**
 * A cluster that outlives the command that booted it ({@code vmcluster up}, {@code vmcluster run
 * --keep-failed}), as its supervisor describes it in {@code live.json} of the cluster's run
 * directory. The run directory is the reaper's: when the supervisor dies, the next run's reaper
 * removes the VMs, the namespace, this file and the control socket together.
 *
 * @param name what {@code exec}, {@code fault}, {@code down} call it (unique among live clusters)
 * @param source the cluster or scenario file it was booted from
 * @param nodes node names in order
 * @param state {@code ready}, or why it is kept ({@code kept: test 'x' failed})
 * @param started when the supervisor started (milliseconds since the epoch)
 * @param results the results directory (events, node logs, supervisor.log)
 * @param supervisor "PID STARTTIME" of the supervisor process
 * @param socket the control socket
 */
public record LiveCluster(
        String name,
        String source,
        List<String> nodes,
        String state,
        long started,
        String results,
        String supervisor,
        String socket) {
    /** The file's name in the run directory. */
    public static final String FILE = "live.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    public LiveCluster {
        Objects.requireNonNull(name, "name");
        nodes = List.copyOf(nodes);
    }

    /** The same cluster in another state. */
    public LiveCluster withState(String value) {
        return new LiveCluster(name, source, nodes, value, started, results, supervisor, socket);
    }

    /** Whether its supervisor still runs (pid and start time). */
    public boolean alive() {
        try {
            return ProcessIdentity.parse(supervisor).isAlive();
        } catch (RuntimeException e) {
            return false;
        }
    }

    public Path socketPath() {
        return Path.of(socket);
    }

    /** Writes {@code dir/live.json} atomically (readers never see half a file). */
    public void writeTo(Path dir) {
        try {
            Path tmp = dir.resolve(FILE + ".tmp");
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    /** Reads a {@code live.json}. */
    public static LiveCluster read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), LiveCluster.class);
    }
}
