package io.vmcluster.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The timing multiplier is read from the environment at the edges only (the CLI, the Java API's
 * {@code RunOptions.defaults()}, a {@link Wait} given no timing) and passed in everywhere else,
 * so a cluster started with {@code Timing.withMultiplier(3)} scales every bound it has.
 */
class TimingAtTheEdgesTest {
    private static final Path MAIN = Path.of("src/main/java/io/vmcluster");

    /** Where {@code Timing.standard()} may be called, relative to {@link #MAIN}. */
    private static final Set<String> EDGES = Set.of("time/Timing.java", "time/Wait.java", "cluster/RunOptions.java");

    @Test
    void onlyTheEdgesFetchTheStandardTiming() throws IOException {
        assertThat(MAIN).as("run from the orchestrator module").isDirectory();
        List<String> fetching = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String rel = MAIN.relativize(f).toString().replace('\\', '/');
                if (rel.startsWith("cli/") || EDGES.contains(rel)) {
                    continue;
                }
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).strip();
                    if (line.contains("Timing.standard()") && !line.startsWith("*") && !line.startsWith("//")) {
                        fetching.add(rel + ":" + (i + 1) + ": " + line);
                    }
                }
            }
        }
        assertThat(fetching)
                .as("library code receives a Timing (a constructor or method parameter, the run options)")
                .isEmpty();
    }
}
