package io.vmcluster.cli;

import io.vmcluster.image.build.ImageBuild;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * The build options every command that builds an image takes ({@code image build}, {@code image
 * check}): {@code --file DEST=SRC}..., and strictness from {@code VMC_IMAGE_LOCKED}.
 */
final class HostFileOptions {
    @CommandLine.Option(
            names = "--file",
            paramLabel = "DEST=SRC",
            description = "Put the host file SRC at DEST in the guest (for files the definition marks at_build: true,"
                    + " e.g. a program you just compiled).")
    List<String> files = List.of();

    /**
     * The build's options.
     *
     * @param locked {@code --locked} was given (VMC_IMAGE_LOCKED=1 also makes it strict)
     * @throws CommandLine.ParameterException for a {@code --file} that is not DEST=SRC
     */
    ImageBuild.Options options(CommandLine cmd, boolean force, boolean locked) {
        Map<String, Path> hostFiles = new LinkedHashMap<>();
        for (String f : files) {
            int eq = f.indexOf('=');
            if (eq <= 0 || eq == f.length() - 1) {
                throw new CommandLine.ParameterException(
                        cmd, "--file wants DEST=SRC (e.g. /usr/bin/kvd=target/kvd), found '" + f + "'");
            }
            hostFiles.put(f.substring(0, eq), Path.of(f.substring(eq + 1)));
        }
        String env = System.getenv().getOrDefault("VMC_IMAGE_LOCKED", "0");
        if (!env.equals("0") && !env.equals("1")) {
            throw new InvalidInputException("VMC_IMAGE_LOCKED must be 0 or 1, found '" + env + "'");
        }
        return new ImageBuild.Options(hostFiles, force, locked || env.equals("1"));
    }
}
