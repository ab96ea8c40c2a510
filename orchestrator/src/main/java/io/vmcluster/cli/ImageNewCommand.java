package io.vmcluster.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** {@code vmcluster image new NAME [--dir DIR]}: a commented image definition that builds and boots as it is. */
@CommandLine.Command(
        name = "new",
        mixinStandardHelpOptions = true,
        description = "Writes a commented image definition (image.yaml and one file) that builds and boots as it is:"
                + " into images/NAME/ of the repository, or --dir DIR.")
final class ImageNewCommand implements Callable<Integer> {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final List<String> FILES = List.of("image.yaml", "hello.html");

    @CommandLine.Mixin
    Verbosity.Mixin verbosity;

    @CommandLine.Parameters(paramLabel = "NAME", description = "The image's name (lower-case letters, digits, . _ -).")
    String name;

    @CommandLine.Option(
            names = "--dir",
            paramLabel = "DIR",
            description = "Where to write it (default: images/NAME" + " of the repository, else ./NAME).")
    Path dir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!NAME.matcher(name).matches()) {
            throw new InvalidInputException(
                    "image name '" + name + "' must be lower-case letters, digits, '.', '_' or '-'"
                            + " (at most 63, starting with a letter or digit)");
        }
        Path target = dir != null
                ? dir
                : ImageBuilder.standard()
                        .definitions()
                        .map(d -> d.resolve(name))
                        .orElse(Path.of(name));
        if (Files.exists(target.resolve("image.yaml"))) {
            throw new InvalidInputException(target.resolve("image.yaml") + " exists already: not overwriting it");
        }
        try {
            Files.createDirectories(target);
            for (String f : FILES) {
                try (InputStream in = ImageNewCommand.class.getResourceAsStream("/io/vmcluster/image/template/" + f)) {
                    if (in == null) {
                        throw new IllegalStateException("the template file " + f + " is missing from the jar");
                    }
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                            .replace("@NAME@", name)
                            .replace("@DIR@", target.toString());
                    Files.writeString(target.resolve(f), text, StandardCharsets.UTF_8);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
        spec.commandLine()
                .getErr()
                .println("wrote " + target.resolve("image.yaml") + " (build it with: vmcluster image build " + target
                        + ")");
        spec.commandLine().getErr().flush();
        spec.commandLine().getOut().println(target);
        spec.commandLine().getOut().flush();
        return ExitCode.PASSED.code();
    }
}
