package io.vmcluster.cli.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.image.ImageManifest;
import io.vmcluster.qemu.Accelerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe's command line comes from the runtime's one builder, with the probe's few choices. */
class KvmBootProbeTest {
    @TempDir
    Path dir;

    private ImageManifest image() throws Exception {
        Path image = dir.resolve("image");
        Files.createDirectories(image);
        Files.writeString(image.resolve("image.json"), """
                {"name": "t", "kernel": "vmlinuz", "initrd": "initrd.img", "cmdline": "console=ttyS0",
                 "minMemoryMiB": 768, "readiness": {"serialLine": "VMC-READY {name}"}}
                """);
        Files.writeString(image.resolve("vmlinuz"), "");
        Files.writeString(image.resolve("initrd.img"), "");
        return ImageManifest.read(image);
    }

    @Test
    void underKvmItBootsTheImagesKernelWithTheRunsCpuModelAndEndsOnThePanic() throws Exception {
        ImageManifest image = image();
        Path run = dir.resolve("probe");
        List<String> argv = KvmBootProbe.commandLine(
                        image, run, Accelerator.KVM, Path.of("/opt/qemu/bin/qemu-system-x86_64"), "host,-kvmclock")
                .argv();
        String line = String.join(" ", argv);
        assertThat(argv.get(0)).isEqualTo("/opt/qemu/bin/qemu-system-x86_64");
        assertThat(line)
                .contains(" -machine q35 -accel kvm -cpu host,-kvmclock -m 256 ")
                .contains(" -kernel " + image.kernel() + " -initrd " + image.initrd())
                .contains(" -append console=ttyS0 earlyprintk=ttyS0 panic=-1 rdinit=/bin/false -no-reboot ")
                .contains("file,id=serial0,path=" + run.resolve("serial.log") + ",append=on")
                .contains("path=" + run.resolve("qmp.sock") + ",")
                .doesNotContain("-netdev")
                .doesNotContain("tcg");
    }

    @Test
    void underTcgItTakesTheBuildersCpuDefault() throws Exception {
        String line = String.join(
                " ",
                KvmBootProbe.commandLine(image(), dir, Accelerator.TCG, Path.of("qemu-system-x86_64"), "host")
                        .argv());
        assertThat(line).contains(" -accel tcg -cpu max ").contains(" -no-reboot ");
    }
}
