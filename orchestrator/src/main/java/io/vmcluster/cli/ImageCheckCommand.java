package io.vmcluster.cli;

import io.vmcluster.cluster.RunOptions;
import io.vmcluster.image.ImageStore;
import io.vmcluster.image.build.ImageBuild;
import io.vmcluster.image.check.CheckPoint;
import io.vmcluster.image.check.ImageCheck;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.time.Timing;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/** {@code vmcluster image check NAME|DIR}: the conformance check of an image against the contract. */
@CommandLine.Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description =
                "Boots one node (or --nodes N) of an image (built by vmcluster, Nix or by hand) and checks the image contract"
                        + " (images/README.md) point by point. Exit 0 conformant, 1 not, 2 bad input, 3 the host cannot boot it.")
final class ImageCheckCommand implements Callable<Integer> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @CommandLine.Mixin
    Verbosity.Mixin verbosity;

    @CommandLine.Parameters(
            paramLabel = "NAME|DIR",
            description = "A built image directory (with image.json: made here, by Nix or by hand), a definition"
                    + " directory (with image.yaml: built first, like image build), or an image name (images/NAME"
                    + " built first when it is there, else the newest build in the cache).")
    String image;

    @CommandLine.Mixin
    HostFileOptions hostFiles;

    @CommandLine.Option(
            names = "--nodes",
            defaultValue = "1",
            paramLabel = "N",
            description = "How many nodes to boot (1 to " + ImageCheck.MAX_NODES + ", default ${DEFAULT-VALUE}): with"
                    + " several, hostname, address and /etc/hosts are checked on each, and that every node reaches"
                    + " every other by name.")
    int nodes;

    @CommandLine.Option(
            names = "--results",
            paramLabel = "DIR",
            description = "Where the nodes' logs go (default: results/image-check-<yyyyMMdd-HHmmss>/).")
    Path results;

    @CommandLine.Option(
            names = "--accel",
            defaultValue = "auto",
            paramLabel = "auto|kvm|tcg",
            description = "How the guest runs (default: ${DEFAULT-VALUE}).")
    Accelerator accel;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (nodes < 1 || nodes > ImageCheck.MAX_NODES) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--nodes must be 1 to " + ImageCheck.MAX_NODES + ", found " + nodes);
        }
        String target = target();
        Path dir = (results != null
                        ? results
                        : Path.of(
                                "results", "image-check-" + LocalDateTime.now().format(STAMP)))
                .toAbsolutePath();
        RunOptions options = RunOptions.defaults().withAccelerator(accel).withResultsDir(dir);
        out.println("checking image " + target + " against the image contract ("
                + (nodes == 1 ? "one node" : nodes + " nodes") + ") ...");
        out.flush();
        List<CheckPoint> points = ImageCheck.run(target, nodes, options, p -> {
            out.println(p.line());
            out.flush();
        });
        long failed = points.stream().filter(p -> !p.passed()).count();
        out.println(
                failed == 0
                        ? "conformant: " + points.size() + " points"
                        : "NOT conformant: " + failed + " of " + points.size() + " points failed");
        out.println("Results: " + dir + " (each node's serial.log, console.log, qemu.argv)");
        out.flush();
        return failed == 0 ? ExitCode.PASSED.code() : ExitCode.TEST_FAILED.code();
    }

    /**
     * What to boot: a built image directory as it is; a definition (a directory with image.yaml,
     * or images/NAME) checked, then built with {@code --file}s like {@code image build}; else a
     * name in the cache. Bad input is reported before the host is probed or anything built.
     */
    private String target() {
        Path asPath = Path.of(image);
        boolean pathLike = image.contains("/") || Files.isDirectory(asPath);
        if (pathLike && Files.isRegularFile(asPath.resolve("image.json"))) {
            if (!hostFiles.files.isEmpty()) {
                throw new InvalidInputException(asPath.toAbsolutePath()
                        + " is a built image (it has image.json): --file is for building a definition"
                        + " (a directory with image.yaml)");
            }
            HostPreflight.requireBootable(Timing.standard());
            return asPath.toAbsolutePath().normalize().toString();
        }
        ImageBuilder builders = ImageBuilder.standard();
        boolean definition = pathLike
                ? Files.isRegularFile(asPath.resolve("image.yaml"))
                : builders.names().contains(image);
        if (definition) {
            ImageBuild.Options options = hostFiles.options(spec.commandLine(), false, false);
            builders.builder().definition(image, options); // every problem of the definition, exit 2
            HostPreflight.requireBootable(Timing.standard());
            PrintWriter err = spec.commandLine().getErr();
            err.println("building image " + image + " ...");
            err.flush();
            return builders.build(image, options, err).toString();
        }
        if (pathLike) {
            throw new InvalidInputException(asPath.toAbsolutePath()
                    + " is neither a built image (it has no image.json) nor an image definition (no image.yaml)");
        }
        Path cached = ImageStore.standard().cacheDir().resolve(image);
        if (!Files.isRegularFile(cached.resolve("image.json"))) {
            throw new InvalidInputException("no image named '" + image + "': the definitions are "
                    + builders.names() + " and " + cached + " was never built; or give an image or definition"
                    + " directory");
        }
        if (!hostFiles.files.isEmpty()) {
            throw new InvalidInputException("'" + image + "' is a build in the cache (" + cached
                    + "), not a definition: --file is for building one (give its directory)");
        }
        HostPreflight.requireBootable(Timing.standard());
        return cached.toAbsolutePath().toString();
    }
}
