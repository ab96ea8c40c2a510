package io.vmcluster.cli.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.vmcluster.qemu.Accelerator;
import io.vmcluster.time.Timing;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The probe boot must be able to say both things: the same kernel under TCG prints its banner
 * (BOOTS), so a HANGS verdict under KVM means KVM, not a broken probe.
 */
class KvmBootProbeIT {
    private static Path image() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("vmcluster/images/etcd-test");
    }

    @Test
    void underTcgTheKernelBoots() {
        assumeThat(Files.isRegularFile(image().resolve("image.json")))
                .as("needs the test image (vmcluster image build etcd-test)")
                .isTrue();
        KvmBootProbe.Verdict v = KvmBootProbe.run(image(), Timing.standard(), Accelerator.TCG);
        assertThat(v.kind()).as(v.detail()).isEqualTo(KvmBootProbe.Verdict.Kind.BOOTS);
    }

    @Test
    void withoutAnImageTheProbeSaysItDidNotRun() {
        KvmBootProbe.Verdict v = KvmBootProbe.run(Path.of("/nonexistent-image"), Timing.standard(), Accelerator.TCG);
        assertThat(v.kind()).isEqualTo(KvmBootProbe.Verdict.Kind.NOT_RUN);
        assertThat(v.detail()).contains("/nonexistent-image");
    }
}
