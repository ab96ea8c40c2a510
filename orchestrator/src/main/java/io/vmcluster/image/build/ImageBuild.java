package io.vmcluster.image.build;

import io.vmcluster.image.definition.DefinitionReader;
import io.vmcluster.image.definition.FileEntry;
import io.vmcluster.image.definition.ImageDefinition;
import io.vmcluster.image.definition.InvalidDefinitionException;
import io.vmcluster.yaml.Location;
import io.vmcluster.yaml.Problems;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The one image builder: reads a definition ({@code images/NAME/image.yaml} or a directory with
 * one), puts it on the shared runtime ({@code images/runtime/runtime.yaml}), checks it, makes sure
 * its {@code packages.lock} covers its packages (locking when it does not, unless {@code locked}),
 * writes the build tree and hands it to {@code images/lib/build-image}, which resolves the
 * Debian pins (with the mirror-drift handling), finds the cached build of exactly this tree or
 * builds it, and prints the image directory.
 *
 * @param images the repository's {@code images/} directory (runtime, lib, the definitions)
 */
public record ImageBuild(Path images) {
    private static final long MAX_MINUTES = 60;
    private static final String KERNEL_META = "linux-image-cloud-amd64";

    /**
     * What to build and how.
     *
     * @param hostFiles guest path to host path ({@code --file DEST=SRC}), in the order given
     * @param force rebuild even when the cache has this build
     * @param locked fail instead of locking or drifting from the pins
     */
    public record Options(Map<String, Path> hostFiles, boolean force, boolean locked) {
        public Options {
            hostFiles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hostFiles));
        }

        public static Options defaults() {
            return new Options(Map.of(), false, false);
        }
    }

    /** The definition file for {@code nameOrDir}: a directory holding image.yaml, or images/NAME/image.yaml. */
    public Optional<Path> definitionFile(String nameOrDir) {
        Path asDir = Path.of(nameOrDir);
        if (nameOrDir.contains("/") || Files.isRegularFile(asDir.resolve("image.yaml"))) {
            Path f = Files.isRegularFile(asDir) ? asDir : asDir.resolve("image.yaml");
            return Files.isRegularFile(f) ? Optional.of(f) : Optional.empty();
        }
        Path f = images.resolve(nameOrDir).resolve("image.yaml");
        return Files.isRegularFile(f) ? Optional.of(f) : Optional.empty();
    }

    /** The names of the definitions under {@code images/} (directories with an image.yaml). */
    public List<String> names() {
        if (!Files.isDirectory(images)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(images)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("image.yaml")))
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Reads a definition and the runtime, and checks both together and the build options.
     *
     * @throws InvalidDefinitionException with every problem
     */
    public ImageDefinition definition(String nameOrDir, Options options) {
        return definition(nameOrDir, options, true);
    }

    /**
     * Reads a definition and the runtime without the build's checks (files given at build time
     * may be missing): what validation needs to know of an image, such as its params.
     *
     * @throws InvalidDefinitionException with every problem
     */
    public ImageDefinition definitionForChecks(String nameOrDir) {
        return definition(nameOrDir, Options.defaults(), false);
    }

    private ImageDefinition definition(String nameOrDir, Options options, boolean forBuild) {
        Path file = definitionFile(nameOrDir)
                .orElseThrow(() -> new InvalidDefinitionException(List.of(new io.vmcluster.yaml.Problem(
                        Location.of(Path.of(nameOrDir)),
                        "no image definition '" + nameOrDir + "' (an image.yaml in that directory, or images/"
                                + nameOrDir + "/image.yaml; definitions: " + String.join(", ", names()) + ")"))));
        Problems problems = new Problems();
        ImageDefinition runtime = DefinitionReader.read(runtimeFile(), problems);
        ImageDefinition image = DefinitionReader.read(file, problems);
        ImageDefinition combined = null;
        if (runtime != null && image != null && problems.isEmpty()) {
            combined = DefinitionReader.combine(runtime, image, problems);
        }
        if (image != null && forBuild) {
            for (FileEntry f : image.files()) {
                if (f.givenAtBuild() && !options.hostFiles().containsKey(f.destination())) {
                    problems.add(
                            f.location(),
                            "the file " + f.destination() + " is given at build time: add --file " + f.destination()
                                    + "=PATH (e.g. the program you just compiled)");
                }
            }
        }
        options.hostFiles().forEach((dest, src) -> {
            if (!dest.startsWith("/")) {
                problems.add(Location.option("--file " + dest + "=" + src), "the guest path must be absolute");
            } else if (!Files.isRegularFile(src)) {
                problems.add(
                        Location.option("--file " + dest + "=" + src), "no such host file: " + src.toAbsolutePath());
            }
        });
        if (combined == null || !problems.isEmpty()) {
            throw new InvalidDefinitionException(problems.sorted());
        }
        return combined;
    }

    /**
     * Builds (or finds in the cache) the image; returns its directory.
     *
     * @param progress the builder's progress lines, as they come
     * @throws InvalidDefinitionException on bad input (exit 2), before anything is downloaded
     * @throws ImageBuildException when the build fails or the host lacks a tool (exit 3)
     */
    public Path build(String nameOrDir, Options options, Consumer<String> progress) {
        ImageDefinition d = definition(nameOrDir, options);
        Path lock = d.directory().resolve("packages.lock");
        List<String> unlocked = unlocked(d, lock);
        if (!unlocked.isEmpty()) {
            if (options.locked()) {
                throw new InvalidDefinitionException(List.of(new io.vmcluster.yaml.Problem(
                        Location.of(lock),
                        (Files.exists(lock) ? "lacks " + String.join(", ", unlocked) : "does not exist")
                                + " and --locked (VMC_IMAGE_LOCKED=1) forbids locking now: run vmcluster image lock "
                                + nameOrDir)));
            }
            AptPackages.requireKnown(d, unlocked);
            progress.accept(
                    "packages.lock " + (Files.exists(lock) ? "lacks " + String.join(", ", unlocked) : "does not exist")
                            + ": locking " + d.name() + " against apt's mirror first");
            lock(d, options, progress);
        }
        Path tree = tempTree(d);
        try {
            BuildTree.write(d, options.hostFiles(), tree);
            List<String> cmd =
                    new ArrayList<>(List.of("bash", script("build-image").toString(), tree.toString(), d.name()));
            if (options.force()) cmd.add("--force");
            if (options.locked()) cmd.add("--locked");
            List<String> out;
            try {
                out = run(cmd, progress, "building image " + d.name());
            } catch (DefinitionFault f) {
                // exit 2 of the builder: the definition's own fault (a binary without its library)
                throw new InvalidDefinitionException(
                        List.of(new io.vmcluster.yaml.Problem(Location.of(d.file()), f.getMessage())));
            }
            Path dir = Path.of(out.isEmpty() ? "" : out.get(out.size() - 1).strip());
            if (!Files.isRegularFile(dir.resolve("image.json"))) {
                throw new ImageBuildException("building image " + d.name() + " printed no image directory", null);
            }
            return dir;
        } finally {
            deleteTree(tree);
        }
    }

    /** (Re)writes the definition's packages.lock from its packages and the runtime's. */
    public Path lock(String nameOrDir, Consumer<String> progress) {
        ImageDefinition d = definition(nameOrDir, Options.defaults(), false);
        AptPackages.requireKnown(d, List.copyOf(d.packages().keySet()));
        return lock(d, Options.defaults(), progress);
    }

    private Path lock(ImageDefinition d, Options options, Consumer<String> progress) {
        Path lock = d.directory().resolve("packages.lock");
        Path tree = tempTree(d);
        try {
            BuildTree.write(d, Map.of(), tree);
            run(
                    List.of("bash", script("lock-image").toString(), tree.toString(), lock.toString()),
                    progress,
                    "locking image " + d.name());
            return lock;
        } finally {
            deleteTree(tree);
        }
    }

    /** Top-level packages the lock does not pin (all of them when there is no lock). */
    static List<String> unlocked(ImageDefinition d, Path lock) {
        List<String> pinned = new ArrayList<>();
        if (Files.isRegularFile(lock)) {
            try {
                for (String line : Files.readAllLines(lock, StandardCharsets.UTF_8)) {
                    String t = line.strip();
                    if (!t.isEmpty() && !t.startsWith("#")) pinned.add(t.split("\\s+")[0]);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return d.packages().keySet().stream()
                .filter(p -> !pinned.contains(p)
                        && !(p.equals(KERNEL_META) && pinned.stream().anyMatch(q -> q.matches("linux-image-[0-9].*"))))
                .toList();
    }

    private Path runtimeFile() {
        return images.resolve("runtime").resolve("runtime.yaml");
    }

    private Path script(String name) {
        Path s = images.resolve("lib").resolve(name);
        if (!Files.isRegularFile(s)) {
            throw new ImageBuildException(
                    "the builder's " + s + " is missing (images/ of a vmcluster checkout expected" + " at " + images
                            + "; set -Dvmc.images.dir)",
                    null);
        }
        return s;
    }

    private static Path tempTree(ImageDefinition d) {
        try {
            return Files.createTempDirectory("vmc-image-tree-" + d.name() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a builder script; stderr lines are progress, stdout lines are returned. */
    private static List<String> run(List<String> cmd, Consumer<String> progress, String what) {
        Process p;
        Path out;
        try {
            out = Files.createTempFile("vmc-image-out-", ".txt");
            p = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .start();
        } catch (IOException e) {
            throw new ImageBuildException("cannot run " + cmd.get(1) + ": " + e.getMessage(), e);
        }
        ArrayDeque<String> tail = new ArrayDeque<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                progress.accept(line);
                tail.addLast(line);
                if (tail.size() > 20) tail.removeFirst();
            }
            if (!p.waitFor(MAX_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new ImageBuildException(what + " took more than " + MAX_MINUTES + " minutes", null);
            }
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            if (p.exitValue() == 2) {
                throw new DefinitionFault(what + " failed: "
                        + tail.stream()
                                .filter(l -> l.contains("error:"))
                                .map(l -> l.replaceFirst("^.*?error: ", ""))
                                .reduce((a, b) -> a + "; " + b)
                                .orElse(String.join("; ", tail)));
            }
            if (p.exitValue() != 0) {
                throw new ImageBuildException(
                        what + " failed (exit " + p.exitValue() + "); last output:\n  " + String.join("\n  ", tail),
                        null);
            }
            return lines;
        } catch (IOException e) {
            p.destroyForcibly();
            throw new ImageBuildException("lost the output of " + cmd.get(1) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ImageBuildException("interrupted while " + what, e);
        } finally {
            try {
                Files.deleteIfExists(out);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temp dir
        }
    }

    /** The builder script said (exit 2) that the definition is at fault, not the host. */
    private static final class DefinitionFault extends RuntimeException {
        DefinitionFault(String message) {
            super(message);
        }
    }
}
