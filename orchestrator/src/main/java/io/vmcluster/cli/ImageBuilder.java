package io.vmcluster.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs an image's build script ({@code images/<name>/build}), showing its progress, and returns
 * the image directory it printed as its last stdout line (the image contract).
 *
 * @param definitions the {@code images/} directory of the repository, if one was found
 */
public record ImageBuilder(Optional<Path> definitions) {
    /** A build is bounded: the etcd-test image takes a few minutes on a cold cache. */
    private static final long MAX_MINUTES = 60;

    /** {@code -Dvmc.images.dir} (set by scripts/vmcluster), else the nearest images/ above the working directory. */
    public static ImageBuilder standard() {
        String prop = System.getProperty("vmc.images.dir");
        if (prop != null && !prop.isBlank()) {
            return new ImageBuilder(Optional.of(Path.of(prop)));
        }
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 8 && dir != null; i++, dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("images")) && Files.exists(dir.resolve("pom.xml"))) {
                return new ImageBuilder(Optional.of(dir.resolve("images")));
            }
        }
        return new ImageBuilder(Optional.empty());
    }

    /** Names of images that have a build script. */
    public List<String> names() {
        if (definitions.isEmpty() || !Files.isDirectory(definitions.get())) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(definitions.get())) {
            return dirs.filter(d -> Files.isExecutable(d.resolve("build")))
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Builds (or finds, the script decides) {@code name}; progress goes to {@code progress}.
     *
     * @throws InvalidInputException for an image with no build script, naming the ones there are
     * @throws HostLacksException when the build fails, with its last output
     */
    public Path build(String name, PrintWriter progress) {
        Path script = definitions
                .map(d -> d.resolve(name).resolve("build"))
                .filter(Files::isExecutable)
                .orElseThrow(
                        () -> new InvalidInputException(
                                "no image named '" + name + "': known images are "
                                        + names()
                                        + definitions
                                                .map(d -> " (in " + d + ")")
                                                .orElse(
                                                        " (no images/ directory found; run from the repository or use scripts/vmcluster)")));
        Process p;
        try {
            p = new ProcessBuilder(script.toString())
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new HostLacksException("cannot run " + script + ": " + e.getMessage(), e);
        }
        String last = "";
        java.util.ArrayDeque<String> tail = new java.util.ArrayDeque<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                progress.println("  | " + line);
                progress.flush();
                if (!line.isBlank()) {
                    last = line.strip();
                }
                tail.addLast(line);
                if (tail.size() > 20) {
                    tail.removeFirst();
                }
            }
            if (!p.waitFor(MAX_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new HostLacksException(script + " did not finish within " + MAX_MINUTES + " minutes");
            }
        } catch (IOException e) {
            p.destroyForcibly();
            throw new HostLacksException("lost the output of " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new HostLacksException("interrupted while building image " + name, e);
        }
        Path dir = Path.of(last);
        if (p.exitValue() != 0 || !Files.isRegularFile(dir.resolve("image.json"))) {
            throw new HostLacksException("building image '" + name + "' with " + script + " failed (exit "
                    + p.exitValue() + "); last output:\n  " + String.join("\n  ", tail));
        }
        return dir;
    }
}
