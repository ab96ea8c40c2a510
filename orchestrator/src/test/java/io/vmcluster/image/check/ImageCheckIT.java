package io.vmcluster.image.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.cluster.RunOptions;
import io.vmcluster.image.ImageStore;
import io.vmcluster.network.TestHost;
import io.vmcluster.qemu.Accelerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The conformance check on a real VM: the {@code base} image (the shared runtime and nothing
 * else) is built from its image.yaml by the one builder (or found in the cache) and must honour
 * every point of the contract.
 */
@EnabledIf("canBoot")
class ImageCheckIT {
    static boolean canBoot() {
        return TestHost.canManageNamespaces()
                && Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64"))
                && Files.isExecutable(Path.of("/usr/bin/qemu-img"));
    }

    @Test
    void theBaseImageBuiltFromItsDefinitionHonoursTheContract() {
        RunOptions options = RunOptions.defaults()
                .withAccelerator(Accelerator.TCG)
                .withImages(ImageStore.standard())
                .withResultsDir(Path.of("target", "it-results", "ImageCheckIT-" + System.currentTimeMillis())
                        .toAbsolutePath());
        List<CheckPoint> points = ImageCheck.run("base", options, p -> System.out.println(p.line()));
        assertThat(points)
                .extracting(CheckPoint::point)
                .as("every point of the contract, sshd and qemu-ga from the runtime")
                .containsExactly(
                        "readiness",
                        "console shell",
                        "params",
                        "hostname",
                        "address",
                        "/etc/hosts",
                        "data disk",
                        "service qemu-ga",
                        "service sshd",
                        "ssh",
                        "guest agent",
                        "restart keeps data",
                        "power button");
        assertThat(points).filteredOn(p -> !p.passed()).as("failed points").isEmpty();
    }
}
