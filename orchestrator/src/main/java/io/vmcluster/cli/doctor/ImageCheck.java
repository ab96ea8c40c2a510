package io.vmcluster.cli.doctor;

import java.nio.file.Files;
import java.nio.file.Path;

/** Is the test image built (in the image cache)? A run builds it on first use if not. */
public final class ImageCheck implements HostCheck {
    static final String NAME = "test image";

    private final String image;

    public ImageCheck(String image) {
        this.image = image;
    }

    @Override
    public CheckResult run(HostContext host) {
        Path dir = host.imageCache().resolve(image);
        if (Files.isRegularFile(dir.resolve("image.json"))) {
            return CheckResult.ok(NAME + " " + image, "built: " + dir);
        }
        return CheckResult.warn(
                NAME + " " + image,
                "not built yet (no " + dir.resolve("image.json") + ")",
                "vmcluster image build " + image + " (the first `vmcluster run` also builds it)");
    }
}
