package io.vmcluster.cli;

import io.vmcluster.image.ImageManifest;
import io.vmcluster.image.ImageStore;
import io.vmcluster.image.build.ImageBuild;
import io.vmcluster.image.definition.DefinitionReader;
import io.vmcluster.image.definition.ImageDefinition;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;

/** {@code vmcluster image build|lock|list}. */
@CommandLine.Command(
        name = "image",
        mixinStandardHelpOptions = true,
        description = "Builds, locks and lists guest images (definitions: images/NAME/image.yaml, docs/images.md;"
                + " builds cached in ${XDG_CACHE_HOME:-~/.cache}/vmcluster/images).",
        subcommands = {
            ImageCommand.Build.class,
            ImageCommand.Lock.class,
            ImageCommand.ListImages.class,
            ImageCheckCommand.class,
            ImageNewCommand.class
        })
public final class ImageCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "say what to do: image build NAME|DIR, image lock NAME|DIR, or image list");
    }

    /** {@code image build NAME|DIR [--file DEST=SRC]... [--force] [--locked]}. */
    @CommandLine.Command(
            name = "build",
            mixinStandardHelpOptions = true,
            description = "Builds an image from its image.yaml on the shared runtime (quick when the cached build is"
                    + " current) and prints the image directory as the last line of stdout.")
    static final class Build implements Callable<Integer> {
        @CommandLine.Mixin
        Verbosity.Mixin verbosity;

        @CommandLine.Parameters(
                paramLabel = "NAME|DIR",
                description = "An image of images/ (e.g. etcd-test), or a" + " directory holding an image.yaml.")
        String name;

        @CommandLine.Mixin
        HostFileOptions hostFiles;

        @CommandLine.Option(names = "--force", description = "Rebuild even when the cache has this build.")
        boolean force;

        @CommandLine.Option(
                names = "--locked",
                description = "Strict: fail when apt's mirror lacks a pinned version"
                        + " or the lock lacks a package, instead of drifting or locking (also VMC_IMAGE_LOCKED=1).")
        boolean locked;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            ImageBuild.Options options = hostFiles.options(spec.commandLine(), force, locked);
            err.println("building image " + name + " ...");
            err.flush();
            Path dir = ImageBuilder.standard().build(name, options, err);
            ImageManifest m = ImageManifest.read(dir);
            err.printf("image %s version %s ready: %s%n", m.name(), m.version(), dir);
            err.flush();
            spec.commandLine().getOut().println(dir);
            spec.commandLine().getOut().flush();
            return ExitCode.PASSED.code();
        }
    }

    /** {@code image lock NAME|DIR}. */
    @CommandLine.Command(
            name = "lock",
            mixinStandardHelpOptions = true,
            description = "(Re)writes the definition's packages.lock from its packages and the runtime's, against"
                    + " apt's mirror (exact versions, sha256, and the library packages their programs need).")
    static final class Lock implements Callable<Integer> {
        @CommandLine.Mixin
        Verbosity.Mixin verbosity;

        @CommandLine.Parameters(
                paramLabel = "NAME|DIR",
                description = "An image of images/, or a directory with an image.yaml.")
        String name;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            Path lock = ImageBuilder.standard().builder().lock(name, line -> {
                err.println("  | " + line);
                err.flush();
            });
            spec.commandLine().getOut().println(lock);
            spec.commandLine().getOut().flush();
            return ExitCode.PASSED.code();
        }
    }

    /** {@code image list}. */
    @CommandLine.Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Lists the image definitions of this repository and the builds in the cache.")
    static final class ListImages implements Callable<Integer> {
        @CommandLine.Mixin
        Verbosity.Mixin verbosity;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            Path cache = ImageStore.standard().cacheDir();
            ImageBuilder defs = ImageBuilder.standard();
            TreeSet<String> names = new TreeSet<>(defs.names());
            if (Files.isDirectory(cache)) {
                try (Stream<Path> entries = Files.list(cache)) {
                    entries.filter(Files::isSymbolicLink)
                            .filter(p -> Files.isRegularFile(p.resolve("image.json")))
                            .forEach(p -> names.add(p.getFileName().toString()));
                }
            }
            out.printf("%-14s %-8s %-60s %s%n", "IMAGE", "VERSION", "NEWEST BUILD", "DESCRIPTION");
            for (String name : names) {
                Path dir = cache.resolve(name);
                String version = "-";
                String built = "not built (vmcluster image build " + name + ")";
                if (Files.isRegularFile(dir.resolve("image.json"))) {
                    try {
                        version = ImageManifest.read(dir).version();
                    } catch (RuntimeException e) {
                        version = "?";
                    }
                    built = dir.toRealPath().toString();
                }
                out.printf("%-14s %-8s %-60s %s%n", name, version, built, description(defs, name));
            }
            if (names.isEmpty()) {
                out.println("(none: no images/ directory found and nothing in " + cache + ")");
            }
            out.flush();
            return ExitCode.PASSED.code();
        }

        private static String description(ImageBuilder defs, String name) {
            return defs.definitions()
                    .map(d -> d.resolve(name).resolve("image.yaml"))
                    .filter(Files::isRegularFile)
                    .map(f -> {
                        io.vmcluster.yaml.Problems problems = new io.vmcluster.yaml.Problems();
                        ImageDefinition d = DefinitionReader.read(f, problems);
                        return d == null || !problems.isEmpty()
                                ? "(invalid definition: vmcluster image build " + name + " says why)"
                                : d.description();
                    })
                    .orElse("(no definition here)");
        }
    }
}
