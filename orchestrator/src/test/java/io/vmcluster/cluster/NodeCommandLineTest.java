package io.vmcluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.cluster.spec.ClusterSpec;
import io.vmcluster.events.EventSink;
import io.vmcluster.image.ImageManifest;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.qemu.AcceleratorChoice;
import io.vmcluster.qemu.KvmCpu;
import io.vmcluster.qemu.KvmProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The QEMU argv a node of a real spec and image gets, for KVM and TCG, without starting anything. */
class NodeCommandLineTest {
    @TempDir
    Path dir;

    private List<String> argv(Accelerator accel) throws Exception {
        return argv(accel, KvmCpu.HOST);
    }

    private List<String> argv(Accelerator accel, String kvmCpu) throws Exception {
        Path image = dir.resolve("image");
        Files.createDirectories(image);
        Files.writeString(image.resolve("image.json"), """
                {"name": "t", "kernel": "vmlinuz", "initrd": "initrd.img", "cmdline": "console=ttyS0 panic=-1",
                 "minMemoryMiB": 768, "dataDisk": {"sizeMiB": 64, "serial": "vmc-data"},
                 "channels": {"agent": {"name": "org.qemu.guest_agent.0"}},
                 "readiness": {"serialLine": "VMC-READY {name}"}}
                """);
        Files.writeString(image.resolve("vmlinuz"), "");
        Files.writeString(image.resolve("initrd.img"), "");
        ImageManifest manifest = ImageManifest.read(image);
        ClusterSpec spec = ClusterSpec.builder()
                .nodes(3)
                .lan("front", "192.168.1.0/24")
                .lan("back", "10.0.0.0/24", "node2", "node3")
                .defaults(d -> d.param("jobq.mode", "local").cpus(2))
                .build();
        ClusterContext ctx = new ClusterContext(
                spec,
                RunOptions.defaults(),
                new AcceleratorChoice(accel, () -> new KvmProbe.Result(true, "test"), kvmCpu),
                null,
                null,
                EventSink.NONE,
                null,
                dir.resolve("tmp"),
                dir.resolve("results"));
        NodeVm vm = new NodeVm(spec.node("node2"), manifest, spec.nics("node2"), ctx);
        return vm.commandLine(accel).argv();
    }

    @Test
    void kvmNodeArgvCarriesIdentityAddressesNicsAndDisks() throws Exception {
        List<String> argv = argv(Accelerator.KVM);
        String line = String.join(" ", argv);
        assertThat(line).contains("-accel kvm -cpu host", "-m 768", "-smp 2");
        assertThat(argv.get(argv.indexOf("-append") + 1))
                .isEqualTo("console=ttyS0 panic=-1 vmc.name=node2 vmc.id=2 vmc.ip=192.168.1.12/24"
                        + " vmc.addrs=52:54:00:01:00:02=192.168.1.12/24,52:54:00:02:00:02=10.0.0.12/24"
                        + " vmc.hosts=node1=192.168.1.11,node2=192.168.1.12,node3=192.168.1.13"
                        + " vmc.jobq.mode=local");
        assertThat(line)
                .contains("-netdev tap,id=net0,ifname=t-node2-0,script=no,downscript=no,vnet_hdr=off")
                .contains("-device virtio-net-pci,netdev=net0,id=nic0,mac=52:54:00:01:00:02")
                .contains("-netdev tap,id=net1,ifname=t-node2-1,script=no,downscript=no,vnet_hdr=off")
                .contains("-device virtio-net-pci,netdev=net1,id=nic1,mac=52:54:00:02:00:02")
                .contains("filename=" + dir.resolve("tmp/node2/data.qcow2") + ",node-name=data-file")
                .contains("serial=vmc-data")
                .contains("path=" + dir.resolve("results/node2/serial.log") + ",append=on")
                .contains("name=org.qemu.guest_agent.0");
    }

    @Test
    void kernelArgumentsOfTheNodeComeLastAndAStreamingImageGetsItsLogPort() throws Exception {
        Path image = dir.resolve("image2");
        Files.createDirectories(image);
        Files.writeString(image.resolve("image.json"), """
                {"name": "t", "kernel": "vmlinuz", "initrd": "initrd.img", "cmdline": "console=ttyS0",
                 "readiness": {"serialLine": "VMC-READY {name}", "command": "test -e /ok"},
                 "serviceLogs": "/run/vmc/log/{service}.log", "serviceLogPort": "org.vmcluster.services.0"}
                """);
        Files.writeString(image.resolve("vmlinuz"), "");
        Files.writeString(image.resolve("initrd.img"), "");
        ImageManifest manifest = ImageManifest.read(image);
        assertThat(manifest.readiness().readyCommand()).contains("test -e /ok");
        ClusterSpec spec = io.vmcluster.cluster.spec.ClusterSpecLoader.parse("""
                defaults: {kernel_args: "mitigations=off sysctl.vm.swappiness=10"}
                nodes: [node1]
                lans: []
                """, "c.yaml");
        ClusterContext ctx = new ClusterContext(
                spec,
                RunOptions.defaults(),
                new AcceleratorChoice(Accelerator.TCG, () -> new KvmProbe.Result(true, "test"), KvmCpu.HOST),
                null,
                null,
                EventSink.NONE,
                null,
                dir.resolve("tmp"),
                dir.resolve("results"));
        List<String> argv = new NodeVm(spec.node("node1"), manifest, spec.nics("node1"), ctx)
                .commandLine(Accelerator.TCG)
                .argv();
        assertThat(argv.get(argv.indexOf("-append") + 1))
                .startsWith("console=ttyS0 vmc.name=node1 ")
                .endsWith(" mitigations=off sysctl.vm.swappiness=10");
        assertThat(String.join(" ", argv))
                .contains("-chardev file,id=svclog,path=" + dir.resolve("results/node1/services.stream") + ",append=on"
                        + " -device virtserialport,chardev=svclog,id=svclog0,name=org.vmcluster.services.0");
        assertThat(String.join(" ", argv(Accelerator.TCG))).doesNotContain("svclog");
    }

    private ImageManifest image(String name, String version, String cmdline) throws Exception {
        Path image = dir.resolve(name + "-" + version);
        Files.createDirectories(image);
        Files.writeString(image.resolve("image.json"), """
                {"name": "%s", "version": "%s", "kernel": "vmlinuz", "initrd": "initrd.img", "cmdline": "%s",
                 "dataDisk": {"sizeMiB": 64}, "readiness": {"serialLine": "VMC-READY {name}"}}
                """.formatted(name, version, cmdline));
        Files.writeString(image.resolve("vmlinuz"), "");
        Files.writeString(image.resolve("initrd.img"), "");
        return ImageManifest.read(image);
    }

    @Test
    void anUpgradedNodeBootsTheNewImagesFilesOnTheSameDataDisk() throws Exception {
        ClusterSpec spec = ClusterSpec.builder().nodes(2).build();
        ClusterContext ctx = new ClusterContext(
                spec,
                RunOptions.defaults(),
                new AcceleratorChoice(Accelerator.TCG, () -> new KvmProbe.Result(true, "test"), KvmCpu.HOST),
                null,
                null,
                EventSink.NONE,
                null,
                dir.resolve("tmp"),
                dir.resolve("results"));
        ImageManifest v1 = image("app", "1", "console=ttyS0 app.v=1");
        ImageManifest v2 = image("app", "2", "console=ttyS0 app.v=2");
        NodeVm vm = new NodeVm(spec.node("node1"), v1, spec.nics("node1"), ctx);
        Files.writeString(dir.resolve("tmp/node1/root.qcow2"), "the old image's root overlay");
        String before = String.join(" ", vm.commandLine(Accelerator.TCG).argv());
        vm.useImage(v2);
        String after = String.join(" ", vm.commandLine(Accelerator.TCG).argv());
        assertThat(vm.image()).isSameAs(v2);
        assertThat(before).contains("-kernel " + dir.resolve("app-1/vmlinuz"), "app.v=1");
        assertThat(after)
                .contains("-kernel " + dir.resolve("app-2/vmlinuz"), "-initrd " + dir.resolve("app-2/initrd.img"))
                .contains("app.v=2")
                .doesNotContain("app.v=1")
                .contains("filename=" + dir.resolve("tmp/node1/data.qcow2") + ",node-name=data-file");
        assertThat(dir.resolve("tmp/node1/root.qcow2"))
                .as("a root overlay belongs to the image it was made of")
                .doesNotExist();
    }

    @Test
    void tcgNodeArgvDiffersOnlyInTheAccelerator() throws Exception {
        List<String> kvm = argv(Accelerator.KVM);
        List<String> tcg = argv(Accelerator.TCG);
        assertThat(String.join(" ", tcg).replace("-accel tcg -cpu max", "-accel kvm -cpu host"))
                .isEqualTo(String.join(" ", kvm));
    }

    @Test
    void kvmOnAnAmdHostTurnsArchCapabilitiesOffAndTcgIsUntouched() throws Exception {
        assertThat(String.join(" ", argv(Accelerator.KVM, KvmCpu.AMD_HOST)))
                .contains("-accel kvm -cpu host,arch-capabilities=off ");
        assertThat(String.join(" ", argv(Accelerator.TCG, KvmCpu.AMD_HOST))).contains("-accel tcg -cpu max ");
    }

    @Test
    void aNodeWithAScreenGetsAVgaCardServedOverVncOnAUnixSocketAndTheKernelWritesToItToo() throws Exception {
        Path image = dir.resolve("image3");
        Files.createDirectories(image);
        Files.writeString(image.resolve("image.json"), """
                {"name": "t", "kernel": "vmlinuz", "initrd": "initrd.img", "cmdline": "console=ttyS0",
                 "readiness": {"serialLine": "VMC-READY {name}"}}
                """);
        Files.writeString(image.resolve("vmlinuz"), "");
        Files.writeString(image.resolve("initrd.img"), "");
        ImageManifest manifest = ImageManifest.read(image);
        ClusterSpec spec = io.vmcluster.cluster.spec.ClusterSpecLoader.parse("""
                nodes:
                  - {name: node1, display: vnc}
                  - {name: node2}
                lans: []
                """, "c.yaml");
        ClusterContext ctx = new ClusterContext(
                spec,
                RunOptions.defaults(),
                new AcceleratorChoice(Accelerator.TCG, () -> new KvmProbe.Result(true, "test"), KvmCpu.HOST),
                null,
                null,
                EventSink.NONE,
                null,
                dir.resolve("tmp"),
                dir.resolve("results"));
        List<String> one = new NodeVm(spec.node("node1"), manifest, spec.nics("node1"), ctx)
                .commandLine(Accelerator.TCG)
                .argv();
        assertThat(String.join(" ", one))
                .contains(" -device VGA,id=vga0 -vnc unix:" + dir.resolve("tmp/node1/vnc.sock"))
                .as("no TCP port: QEMU runs in the cluster's namespace, the host relays")
                .doesNotContainPattern("-vnc [0-9:]");
        assertThat(one.get(one.indexOf("-append") + 1))
                .as("the image's console stays the last one, /dev/console")
                .startsWith("console=tty0 console=ttyS0 vmc.name=node1");
        List<String> two = new NodeVm(spec.node("node2"), manifest, spec.nics("node2"), ctx)
                .commandLine(Accelerator.TCG)
                .argv();
        assertThat(String.join(" ", two)).doesNotContain("VGA", "-vnc", "tty0");
    }
}
