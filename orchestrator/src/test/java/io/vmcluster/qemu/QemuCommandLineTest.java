package io.vmcluster.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QemuCommandLineTest {
    private static QemuCommandLine line(Accelerator accel) {
        Path run = Path.of("/run/vmc/node1");
        return QemuCommandLine.builder(Path.of("qemu-system-x86_64"), "node1")
                .accelerator(accel)
                .memoryMiB(512)
                .cpus(2)
                .kernel(Path.of("/img/vmlinuz"))
                .initrd(Path.of("/img/initrd.img"))
                .append("console=ttyS0 vmc.name=node1")
                .rootOverlay(Optional.of(run.resolve("root.qcow2")))
                .dataDisk(Optional.of(new QemuCommandLine.DataDisk(run.resolve("data.qcow2"), "vmc-data")))
                .nic(new QemuCommandLine.Nic("nic0", "net0", "vmc1n0", "52:54:00:01:00:01"))
                .qmpSocket(run.resolve("qmp.sock"))
                .consoleSocket(run.resolve("console.sock"))
                .agentSocket(Optional.of(run.resolve("agent.sock")))
                .serialLog(run.resolve("serial.log"))
                .device("virtio-rng-pci")
                .build();
    }

    @Test
    void aCapturedNicGetsAFilterDumpIntoItsFile() {
        QemuCommandLine base = line(Accelerator.TCG);
        QemuCommandLine captured = base.toBuilder()
                .nics(List.of(new QemuCommandLine.Nic(
                        "nic0", "net0", "vmc1n0", "52:54:00:01:00:01", Optional.of(Path.of("/r/cap,1.pcap")))))
                .build();
        String argv = String.join(" ", captured.argv());
        assertThat(argv)
                .contains(" -device virtio-net-pci,netdev=net0,id=nic0,mac=52:54:00:01:00:01"
                        + " -object filter-dump,id=capture-net0,netdev=net0,file=/r/cap,,1.pcap");
        assertThat(String.join(" ", base.argv())).doesNotContain("filter-dump");
    }

    @Test
    void tcgCommandLineIsExact() {
        assertThat(String.join(" ", line(Accelerator.TCG).argv()))
                .isEqualTo("qemu-system-x86_64 -name guest=node1 -nodefaults -no-user-config -display none"
                        + " -machine q35 -accel tcg -cpu max -m 512 -smp 2"
                        + " -kernel /img/vmlinuz -initrd /img/initrd.img -append console=ttyS0 vmc.name=node1"
                        + " -chardev socket,id=qmp,path=/run/vmc/node1/qmp.sock,server=on,wait=off"
                        + " -mon chardev=qmp,mode=control"
                        + " -chardev file,id=serial0,path=/run/vmc/node1/serial.log,append=on -serial chardev:serial0"
                        + " -device virtio-serial-pci,id=vser0"
                        + " -chardev socket,id=console,path=/run/vmc/node1/console.sock,server=on,wait=off"
                        + " -device virtconsole,chardev=console,id=console0"
                        + " -chardev socket,id=agent,path=/run/vmc/node1/agent.sock,server=on,wait=off"
                        + " -device virtserialport,chardev=agent,id=agent0,name=org.qemu.guest_agent.0"
                        + " -blockdev driver=file,filename=/run/vmc/node1/root.qcow2,node-name=root-file"
                        + " -blockdev driver=qcow2,file=root-file,node-name=root"
                        + " -device virtio-blk-pci,drive=root,id=root-disk"
                        + " -blockdev driver=file,filename=/run/vmc/node1/data.qcow2,node-name=data-file"
                        + " -blockdev driver=qcow2,file=data-file,node-name=data-qcow2"
                        + " -blockdev driver=raw,file=data-qcow2,node-name=data"
                        + " -device virtio-blk-pci,drive=data,id=data-disk,serial=vmc-data"
                        + " -netdev tap,id=net0,ifname=vmc1n0,script=no,downscript=no,vnet_hdr=off"
                        + " -device virtio-net-pci,netdev=net0,id=nic0,mac=52:54:00:01:00:01"
                        + " -device virtio-rng-pci");
    }

    @Test
    void noRebootIsThereOnlyWhenAsked() {
        QemuCommandLine base = line(Accelerator.TCG);
        assertThat(base.argv()).doesNotContain("-no-reboot");
        QemuCommandLine once = base.toBuilder().noReboot().build();
        assertThat(once.noReboot()).isTrue();
        assertThat(String.join(" ", once.argv()))
                .contains(" -append console=ttyS0 vmc.name=node1 -no-reboot -chardev ");
        assertThat(once.toBuilder().build().noReboot()).as("kept by toBuilder").isTrue();
    }

    @Test
    void kvmCommandLineUsesKvmAndTheHostCpu() {
        List<String> argv = line(Accelerator.KVM).argv();
        assertThat(String.join(" ", argv)).contains(" -accel kvm -cpu host ").doesNotContain("tcg");
        // the rest is the same as TCG's
        List<String> tcg = line(Accelerator.TCG).argv();
        assertThat(argv).hasSameSizeAs(tcg);
    }

    @Test
    void theKernelCommandLineStaysOneArgument() {
        List<String> argv = line(Accelerator.TCG).argv();
        assertThat(argv.get(argv.indexOf("-append") + 1)).isEqualTo("console=ttyS0 vmc.name=node1");
    }

    @Test
    void commasInPathsAreEscapedTheQemuWay() {
        assertThat(QemuCommandLine.opt(Path.of("/tmp/a,b/qmp.sock"))).isEqualTo("/tmp/a,,b/qmp.sock");
    }

    @Test
    void autoMustBeResolvedFirst() {
        assertThatThrownBy(() -> line(Accelerator.AUTO)).hasMessageContaining("resolve AUTO");
    }

    @Test
    void acceleratorNamesParse() {
        assertThat(Accelerator.parse("Kvm")).isEqualTo(Accelerator.KVM);
        assertThatThrownBy(() -> Accelerator.parse("hvf")).hasMessage("accelerator 'hvf' is not one of auto, kvm, tcg");
    }

    @Test
    void kvmProbeSaysWhyNot() {
        assertThat(KvmProbe.probe(Path.of("/nonexistent/kvm")).usable()).isFalse();
        assertThat(KvmProbe.probe(Path.of("/nonexistent/kvm")).reason()).contains("does not exist");
    }

    @Test
    void anIncomingQemuStartsPausedWaitingForItsStateOverQmpWithTheSameDevices() {
        QemuCommandLine boot = line(Accelerator.TCG);
        QemuCommandLine incoming = boot.toBuilder().incoming(true).build();
        List<String> argv = incoming.argv();
        assertThat(incoming.incoming()).isTrue();
        assertThat(String.join(" ", argv)).contains(" -S -incoming defer ");
        List<String> rest = new java.util.ArrayList<>(argv);
        rest.removeAll(List.of("-S", "-incoming", "defer"));
        assertThat(rest).as("everything else as when booting").isEqualTo(boot.argv());
        assertThat(boot.argv()).doesNotContain("-incoming");
    }
}
