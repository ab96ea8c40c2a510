package io.vmcluster.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The files of a results directory the report links to, as paths relative to its root: the run's
 * own files, each node's directory (logs, QEMU files, service logs), packet captures.
 *
 * @param run files at the top (events, run log, JUnit XML, history)
 * @param nodes per node, every file under its directory
 * @param captures packet captures
 */
public record ResultsFiles(List<Entry> run, Map<String, List<Entry>> nodes, List<Entry> captures) {
    /** How deep a node's directory is searched (node/services/after-test/x.log is 3). */
    private static final int DEPTH = 4;

    public ResultsFiles {
        run = List.copyOf(run);
        nodes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
        captures = List.copyOf(captures);
    }

    /**
     * One file.
     *
     * @param path relative to the results directory, with {@code /}
     * @param bytes its size
     */
    public record Entry(String path, long bytes) {
        /** The file name without its directories. */
        public String name() {
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    /** What {@code dir} holds for the given nodes (missing directories are empty). */
    public static ResultsFiles scan(ResultsDirectory dir, List<String> nodes) {
        Path root = dir.root();
        List<Entry> run = list(root, root, 1).stream()
                .filter(e -> !e.path().equals(dir.htmlReport().getFileName().toString()))
                .toList();
        Map<String, List<Entry>> perNode = new LinkedHashMap<>();
        for (String n : nodes) {
            perNode.put(n, list(root, dir.node(n), DEPTH));
        }
        return new ResultsFiles(run, perNode, list(root, root.resolve("captures"), 2));
    }

    private static List<Entry> list(Path root, Path dir, int depth) {
        if (!Files.isDirectory(dir)) return List.of();
        List<Entry> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir, depth)) {
            files.filter(Files::isRegularFile)
                    .sorted(Comparator.comparing(Path::toString))
                    .forEach(
                            p -> out.add(new Entry(root.relativize(p).toString().replace('\\', '/'), size(p))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return out;
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }
}
