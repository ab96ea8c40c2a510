package io.vmcluster.cli;

import io.vmcluster.image.ImageManifest;
import io.vmcluster.image.ImageStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;

/** {@code vmcluster image build NAME} and {@code vmcluster image list}. */
@CommandLine.Command(
        name = "image",
        mixinStandardHelpOptions = true,
        description = "Builds and lists guest images (cached in ${XDG_CACHE_HOME:-~/.cache}/vmcluster/images).",
        subcommands = {ImageCommand.Build.class, ImageCommand.ListImages.class})
public final class ImageCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: image build NAME, or image list");
    }

    /** {@code image build NAME}. */
    @CommandLine.Command(
            name = "build",
            mixinStandardHelpOptions = true,
            description = "Builds an image with images/NAME/build (quick when the cached build is current)"
                    + " and prints the image directory.")
    static final class Build implements Callable<Integer> {
        @CommandLine.Mixin
        Verbosity.Mixin verbosity;

        @CommandLine.Parameters(paramLabel = "NAME", description = "The image, e.g. etcd-test.")
        String name;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            err.println("building image " + name + " ...");
            err.flush();
            Path dir = ImageBuilder.standard().build(name, err);
            ImageManifest m = ImageManifest.read(dir);
            spec.commandLine().getOut().println(dir);
            err.printf("image %s version %s ready: %s%n", m.name(), m.version(), dir);
            err.flush();
            return ExitCode.PASSED.code();
        }
    }

    /** {@code image list}. */
    @CommandLine.Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Lists the images this repository can build and the ones built in the cache.")
    static final class ListImages implements Callable<Integer> {
        @CommandLine.Mixin
        Verbosity.Mixin verbosity;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            Path cache = ImageStore.standard().cacheDir();
            TreeSet<String> names = new TreeSet<>(ImageBuilder.standard().names());
            if (Files.isDirectory(cache)) {
                try (Stream<Path> entries = Files.list(cache)) {
                    entries.filter(p -> Files.isSymbolicLink(p)
                                    || !p.getFileName().toString().contains("-"))
                            .filter(p -> Files.isRegularFile(p.resolve("image.json")))
                            .forEach(p -> names.add(p.getFileName().toString()));
                }
            }
            out.printf("%-16s %-10s %s%n", "IMAGE", "VERSION", "BUILT");
            for (String name : names) {
                Path dir = cache.resolve(name);
                if (Files.isRegularFile(dir.resolve("image.json"))) {
                    String version;
                    try {
                        version = ImageManifest.read(dir).version();
                    } catch (RuntimeException e) {
                        version = "?";
                    }
                    out.printf("%-16s %-10s %s%n", name, version, dir.toRealPath());
                } else {
                    out.printf("%-16s %-10s %s%n", name, "-", "not built (vmcluster image build " + name + ")");
                }
            }
            if (names.isEmpty()) {
                out.println("(none: no images/ directory found and nothing in " + cache + ")");
            }
            out.flush();
            return ExitCode.PASSED.code();
        }
    }
}
