package io.vmcluster.cli.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.cli.doctor.CheckResult.Status;
import io.vmcluster.command.CommandResult;
import io.vmcluster.report.Style;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostChecksTest {
    @TempDir
    Path root;

    private final FakeShell shell = new FakeShell();

    private HostContext host(boolean withNamespace) {
        Optional<ScratchNamespace> ns = Optional.empty();
        if (withNamespace) {
            shell.answer("ip netns add", 0, "", "");
            ns = Optional.of(ScratchNamespace.create(shell).namespace());
        }
        return new HostContext(shell, root, Map.of("HOME", root.toString()), ns, 3);
    }

    private void file(String path, String content) throws IOException {
        Path p = root.resolve(path.substring(1));
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    @Nested
    class Qemu {
        @Test
        void versionFromTheFirstLine() {
            shell.answer("qemu-system-x86_64 --version", 0, "QEMU emulator version 7.2.22 (Debian)\nCopyright\n", "");
            assertThat(new QemuCheck().run(host(false))).isEqualTo(CheckResult.ok("QEMU", "version 7.2.22 (Debian)"));
        }

        @Test
        void missingQemuSaysWhatToInstall() {
            CheckResult r = new QemuCheck().run(host(false));
            assertThat(r.status()).isEqualTo(Status.MISSING);
            assertThat(r.fix()).contains("apt-get install -y qemu-system-x86");
        }
    }

    @Nested
    class Kvm {
        @Test
        void noDeviceMeansTcg() {
            CheckResult r = new KvmCheck(Optional.empty()).run(host(false));
            assertThat(r.status()).isEqualTo(Status.WARN);
            assertThat(r.found()).contains("no /dev/kvm", "TCG");
        }

        @Test
        void presentButUnprovenPointsAtTheProbe() throws IOException {
            file("/dev/kvm", "");
            file("/proc/cpuinfo", "processor : 0\nflags : fpu sse2 hypervisor\n");
            CheckResult r = new KvmCheck(Optional.empty()).run(host(false));
            assertThat(r.status()).isEqualTo(Status.WARN);
            assertThat(r.found()).contains("no vmx/svm", "not proven");
            assertThat(r.fix()).contains("--probe-kvm");
        }

        @Test
        void aHangingProbeIsReportedAsHanging() throws IOException {
            file("/dev/kvm", "");
            file("/proc/cpuinfo", "flags : fpu vmx sse2\n");
            CheckResult r = new KvmCheck(Optional.of(
                            new KvmBootProbe.Verdict(KvmBootProbe.Verdict.Kind.HANGS, "last 'Probing EDD ... ok'")))
                    .run(host(false));
            assertThat(r.status()).isEqualTo(Status.WARN);
            assertThat(r.found()).contains("hangs", "Probing EDD", "CPU flags show vmx/svm");
            assertThat(r.fix()).contains("--accel tcg");
        }

        @Test
        void aBootingProbeIsOk() throws IOException {
            file("/dev/kvm", "");
            file("/proc/cpuinfo", "flags : svm\n");
            CheckResult r = new KvmCheck(Optional.of(
                            new KvmBootProbe.Verdict(KvmBootProbe.Verdict.Kind.BOOTS, "kernel up after 900 ms")))
                    .run(host(false));
            assertThat(r.status()).isEqualTo(Status.OK);
        }

        @Test
        void qemuAbortingOnTheArchCapabilitiesMsrIsNamedWithItsFix() throws IOException {
            file("/dev/kvm", "");
            file("/proc/cpuinfo", "vendor_id : AuthenticAMD\nflags : svm\n");
            CheckResult r = new KvmCheck(Optional.of(new KvmBootProbe.Verdict(
                            KvmBootProbe.Verdict.Kind.FAILS,
                            "QEMU exited with status 134: qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69"
                                    + " / kvm_buf_set_msrs: Assertion `ret == cpu->kvm_msr_buf->nmsrs' failed.")))
                    .run(host(false));
            assertThat(r.status()).isEqualTo(Status.WARN);
            assertThat(r.found())
                    .as("QEMU's own words and the CPU model a run uses on this (AMD) host")
                    .contains("failed to set MSR 0x10a to 0x69", "-cpu host,arch-capabilities=off");
            assertThat(r.fix()).contains("IA32_ARCH_CAPABILITIES", "falls back to TCG", "VMC_KVM_CPU");
        }

        @Test
        void anotherExitUnderKvmStillSaysAutoFallsBack() throws IOException {
            file("/dev/kvm", "");
            file("/proc/cpuinfo", "vendor_id : GenuineIntel\nflags : vmx\n");
            CheckResult r = new KvmCheck(Optional.of(new KvmBootProbe.Verdict(
                            KvmBootProbe.Verdict.Kind.FAILS,
                            "QEMU exited with status 1: Could not access KVM kernel module")))
                    .run(host(false));
            assertThat(r.found()).contains("-cpu host)", "Could not access KVM kernel module");
            assertThat(r.fix()).contains("falls back to TCG");
        }
    }

    @Nested
    class Network {
        @Test
        void withoutANamespaceEverythingNetworkIsMissing() {
            CommandResult denied = CommandResult.ofText(
                    "host",
                    "ip netns add x",
                    1,
                    "",
                    "mount --make-shared /run/netns failed: Operation not permitted",
                    Duration.ZERO);
            HostContext h = host(false);
            CheckResult ns = new NamespaceCheck(denied).run(h);
            assertThat(ns.status()).isEqualTo(Status.MISSING);
            assertThat(ns.fix()).contains("run as root");
            for (HostCheck c : List.of(new BridgeTapCheck(), new NftBridgeCheck(), new NetemCheck())) {
                assertThat(c.run(h).status()).as(c.getClass().getSimpleName()).isEqualTo(Status.MISSING);
            }
        }

        @Test
        void netemRefusedIsDegradedNotMissing() {
            HostContext h = host(true);
            shell.answer("tc qdisc add dev lo root netem", 2, "", "Error: Specified qdisc kind is unknown.\n");
            CheckResult r = new NetemCheck().run(h);
            assertThat(r.status()).isEqualTo(Status.WARN);
            assertThat(r.found()).contains("Specified qdisc kind is unknown", "inside the guests");
            assertThat(shell.ran).anyMatch(l -> l.startsWith("ip netns exec vmcdoc-") && l.endsWith("netem delay 1ms"));
        }

        @Test
        void netemAcceptedIsOk() {
            HostContext h = host(true);
            shell.answer("tc qdisc add", 0, "", "");
            assertThat(new NetemCheck().run(h).status()).isEqualTo(Status.OK);
        }

        @Test
        void bridgeTapAndNftInsideTheNamespace() {
            HostContext h = host(true);
            shell.answer("ip link add", 0, "", "")
                    .answer("ip tuntap", 0, "", "")
                    .answer("ip link set", 0, "", "");
            shell.answer("nft add", 0, "", "");
            assertThat(new BridgeTapCheck().run(h).status()).isEqualTo(Status.OK);
            assertThat(new NftBridgeCheck().run(h).status()).isEqualTo(Status.OK);
        }

        @Test
        void nftMissingSaysInstallNftables() {
            HostContext h = host(true);
            CheckResult r = new NftBridgeCheck().run(h);
            assertThat(r.status()).isEqualTo(Status.MISSING);
            assertThat(r.fix()).contains("apt-get install -y nftables");
        }
    }

    @Nested
    class Memory {
        @Test
        void enoughForThreeNodes() throws IOException {
            file("/proc/meminfo", "MemTotal: 24000000 kB\nMemAvailable:   4194304 kB\n");
            CheckResult r = new MemoryCheck(512).run(host(false));
            assertThat(r.status()).isEqualTo(Status.OK);
            assertThat(r.found()).contains("4096 MiB available", "3 nodes need about 2136 MiB", "room for 5");
        }

        @Test
        void tooLittleIsMissing() throws IOException {
            file("/proc/meminfo", "MemAvailable:   1048576 kB\n");
            CheckResult r = new MemoryCheck(512).run(host(false));
            assertThat(r.status()).isEqualTo(Status.MISSING);
            assertThat(r.found()).contains("room for 1");
        }
    }

    @Nested
    class Image {
        @Test
        void builtOrNot() throws IOException {
            CheckResult notBuilt = new ImageCheck("etcd-test").run(host(false));
            assertThat(notBuilt.status()).isEqualTo(Status.WARN);
            assertThat(notBuilt.fix()).contains("vmcluster image build etcd-test");
            file("/.cache/vmcluster/images/etcd-test/image.json", "{}");
            assertThat(new ImageCheck("etcd-test").run(host(false)).status()).isEqualTo(Status.OK);
        }
    }

    @Test
    void tableListsEveryCheckThenTheFixes() {
        List<String> lines = DoctorTable.render(
                List.of(
                        CheckResult.ok("QEMU", "version 7.2"),
                        CheckResult.warn("host tc netem", "refused", "modprobe sch_netem")),
                Style.PLAIN);
        assertThat(lines)
                .containsExactly(
                        "CHECK          STATUS    FOUND",
                        "QEMU           ok        version 7.2",
                        "host tc netem  degraded  refused",
                        "",
                        "To fix:",
                        "  host tc netem: modprobe sch_netem");
    }
}
