package io.vmcluster.cli;

import io.vmcluster.cluster.RunOptions;
import io.vmcluster.image.ImageStore;
import io.vmcluster.image.check.CheckPoint;
import io.vmcluster.image.check.ImageCheck;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.time.Timing;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/** {@code vmcluster image check NAME|DIR}: the conformance check of an image against the contract. */
@CommandLine.Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description =
                "Boots one node of an image (built by vmcluster, Nix or by hand) and checks the image contract"
                        + " (images/README.md) point by point. Exit 0 conformant, 1 not, 2 bad input, 3 the host cannot boot it.")
final class ImageCheckCommand implements Callable<Integer> {
    @CommandLine.Mixin
    Verbosity.Mixin verbosity;

    @CommandLine.Parameters(
            paramLabel = "NAME|DIR",
            description = "An image directory (with image.json), or an image"
                    + " name (built first from images/NAME/image.yaml if needed).")
    String image;

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
        String target = image;
        if (image.contains("/") || Files.isDirectory(Path.of(image))) {
            Path dir = Path.of(image).toAbsolutePath();
            if (!Files.isRegularFile(dir.resolve("image.json"))) {
                throw new InvalidInputException(dir
                        + " is no image directory (it has no image.json); give a built image" + " or an image name");
            }
            target = dir.toString();
        } else if (!ImageBuilder.standard().names().contains(image)
                && !Files.isRegularFile(
                        ImageStore.standard().cacheDir().resolve(image).resolve("image.json"))) {
            throw new InvalidInputException("no image named '" + image + "': known images are "
                    + ImageBuilder.standard().names() + "; or give an image directory");
        }
        HostPreflight.requireBootable(Timing.standard());
        RunOptions options = RunOptions.defaults().withAccelerator(accel);
        out.println("checking image " + target + " against the image contract (one node) ...");
        out.flush();
        List<CheckPoint> points = ImageCheck.run(target, options, p -> {
            out.println(p.line());
            out.flush();
        });
        long failed = points.stream().filter(p -> !p.passed()).count();
        out.println(
                failed == 0
                        ? "conformant: " + points.size() + " points"
                        : "NOT conformant: " + failed + " of " + points.size() + " points failed");
        out.flush();
        return failed == 0 ? ExitCode.PASSED.code() : ExitCode.TEST_FAILED.code();
    }
}
